"""Strings of the attribution part of the feature-map tab (captum: saliency, IG, Grad-CAM, occlusion)."""

STRINGS: dict[str, tuple[str, str]] = {
    # methods
    "attr.method": ("Attribution method", "归因方法"),
    "attr.method.saliency": ("Saliency (gradient)", "显著图（梯度）"),
    "attr.method.integrated_gradients": ("Integrated gradients", "积分梯度"),
    "attr.method.grad_cam": ("Grad-CAM", "Grad-CAM（梯度加权类激活图）"),
    "attr.method.occlusion": ("Occlusion", "遮挡"),
    "attr.method.saliency.info": (
        "How much the class score changes when one pixel changes a little: the gradient, one backward pass. "
        "Fast and sharp, but noisy.",
        "某个像素稍微改变时，类别分数变化多少：即梯度，只需一次反向传播。速度快、细节清晰，但噪声较多。",
    ),
    "attr.method.integrated_gradients.info": (
        "Gradients averaged along the path from the mean colour to your picture; the pixels' shares add up to "
        "the score difference. Slower: one pass per step.",
        "沿着从平均颜色到你的图片的路径对梯度取平均；各像素的份额加起来等于分数之差。较慢：每一步都要计算一次。",
    ),
    "attr.method.grad_cam.info": (
        "The last convolutional stage's feature maps, weighted by how much each raises the class score: "
        "where the network looked, at that stage's coarse resolution.",
        "最后一个卷积阶段的特征图，按各自对类别分数的提升程度加权：网络看的位置，分辨率与该阶段一样粗。",
    ),
    "attr.method.occlusion.info": (
        "Cover one patch at a time with the mean colour and measure how much the class score drops. "
        "Needs no gradients; one pass per patch position.",
        "每次用平均颜色遮住一块区域，测量类别分数下降了多少。不需要梯度；每个遮挡位置计算一次。",
    ),
    "attr.progress.saliency": ("Computing the gradient", "正在计算梯度"),
    "attr.progress.integrated_gradients": ("Integrating gradients along the path", "正在沿路径积分梯度"),
    "attr.progress.grad_cam": ("Weighting the feature maps", "正在为特征图加权"),
    "attr.progress.occlusion": ("Covering the picture patch by patch", "正在逐块遮挡图片"),
    # controls
    "attr.target": ("Class to explain", "要解释的类别"),
    "attr.steps": ("Integration steps", "积分步数"),
    "attr.batch": ("Steps per batch", "每批步数"),
    "attr.layer": ("Layer (Grad-CAM)", "层（Grad-CAM）"),
    "attr.window": ("Patch size (pixels)", "遮挡块大小（像素）"),
    "attr.stride": ("Patch stride (pixels)", "遮挡块步幅（像素）"),
    "attr.sign": ("Show", "显示"),
    "attr.opacity": ("Opacity", "不透明度"),
    "attr.clip": ("Clip at percentile", "按百分位数截断"),
    # signs
    "attr.sign.positive": ("Positive: raises the score", "正向：提高分数"),
    "attr.sign.negative": ("Negative: lowers the score", "负向：降低分数"),
    "attr.sign.absolute": ("Absolute: either way", "绝对值：无论正负"),
    "attr.sign.all": ("Both, signed (red +, blue −)", "正负都显示（红 +，蓝 −）"),
    # result
    "attr.summary": (
        "{method} for class **{name}** (p = {p}) · {seconds} s",
        "{method}，类别 **{name}**（p = {p}）· {seconds} 秒",
    ),
    "attr.delta": (
        "Completeness: the attributions sum to the score difference up to Δ = {delta}",
        "完备性：各归因之和等于分数之差，误差 Δ = {delta}",
    ),
    # notes
    "attr.note.flat": (
        "The {method} map is the same everywhere for class {name}: nothing in the picture changes this score "
        "(a saturated or dead output). Try another class, another method, or another picture.",
        "对类别 {name}，{method} 图处处相同：图片中没有任何部分改变这个分数（输出已饱和或失活）。"
        "请换一个类别、另一种方法或另一张图片试试。",
    ),
    "attr.note.cam_zero": (
        "Grad-CAM is zero everywhere at layer {layer}: no region there raises this class's score. Try an "
        "earlier layer, or explain the predicted class.",
        "在 {layer} 层，Grad-CAM 处处为零：那里没有任何区域提高这个类别的分数。请试试更靠前的层，或解释预测出的类别。",
    ),
    "attr.note.ig_delta": (
        "The attributions miss the score difference by Δ = {delta}: {steps} steps are too few for this picture. "
        "Use more steps (up to {max}).",
        "各归因之和与分数之差相差 Δ = {delta}：对这张图片来说 {steps} 步太少了。请增加步数（最多 {max}）。",
    ),
    "attr.note.occlusion_edges": (
        "The last {pixels} pixel rows and columns are never covered by the patch (the stride does not fit), so "
        "they show zero. Choose a stride that divides the picture size minus the patch size.",
        "最后 {pixels} 行和列的像素从未被遮挡块覆盖（步幅不整除），因此显示为零。"
        "请选择能整除“图片大小减遮挡块大小”的步幅。",
    ),
    "attr.note.non_finite": (
        "Some attributions were not finite numbers (overflow) and are shown as zero.",
        "部分归因值不是有限数（溢出），显示为零。",
    ),
    "attr.note.nothing_to_show": (
        "Nothing to show for “{sign}”: the map has no such values, so the picture is shown alone. Try another "
        "choice of what to show.",
        "“{sign}”没有可显示的内容：图中没有这样的值，因此只显示图片。请换一种显示方式。",
    ),
    "attr.note.enlarged": (
        "Enlarged ×{factor} (each pixel a {factor}×{factor} block) so it can be seen.",
        "已放大 {factor} 倍（每个像素变成 {factor}×{factor} 的方块），以便看清。",
    ),
    "attr.note.correlation_undefined": (
        "One of the two maps is the same everywhere, so their ranks cannot be correlated. Try another class "
        "or method.",
        "两张图中有一张处处相同，无法计算它们的秩相关。请换一个类别或方法试试。",
    ),
    # sanity check
    "attr.sanity.caption": (
        "Sanity check (Adebayo et al. 2018): the same method on a copy of the network with random weights. "
        "If the two maps look alike, the map shows the picture, not what the network learned.",
        "合理性检验（Adebayo 等，2018）：在权重随机化的网络副本上运行同一方法。若两张图相似，"
        "说明它反映的是图片本身，而不是网络学到的东西。",
    ),
    "attr.sanity.similar": (
        "ρ = {rho}: {method} barely changed with random weights — do not trust it to explain this network.",
        "ρ = {rho}：权重随机化后 {method} 几乎没变——不要用它来解释这个网络。",
    ),
    "attr.sanity.different": (
        "ρ = {rho}: {method} changed with random weights — it depends on what the network learned.",
        "ρ = {rho}：权重随机化后 {method} 明显改变——它取决于网络学到的东西。",
    ),
    "attr.sanity.undefined": ("The correlation is undefined (a constant map).", "相关系数无定义（有一张图是常数）。"),
    "attr.fig.sanity": (
        "{method}: trained vs random weights · Spearman ρ of |map| = {rho}",
        "{method}：训练后的权重 vs 随机权重 · |图| 的斯皮尔曼 ρ = {rho}",
    ),
    "attr.fig.original": ("Trained network", "训练后的网络"),
    "attr.fig.randomised": ("Random weights (seed {seed})", "随机权重（种子 {seed}）"),
    # errors
    "attr.err.method": ("Unknown attribution method '{method}'. Choose one of: {choices}.",
                        "未知的归因方法“{method}”。请从以下方法中选择：{choices}。"),
    "attr.err.input": (
        "The network's input must be one picture, a tensor of shape 1×3×S×S (got {shape}).",
        "网络的输入必须是一张图片，即形状为 1×3×S×S 的张量（当前为 {shape}）。",
    ),
    "attr.err.target": ("Class {value} does not exist: choose a class from {low} to {high}.",
                        "类别 {value} 不存在：请选择 {low} 到 {high} 之间的类别。"),
    "attr.err.steps": ("Integration steps must be between {low} and {high} (got {value}).",
                       "积分步数必须在 {low} 到 {high} 之间（当前为 {value}）。"),
    "attr.err.batch": ("Steps per batch must be between {low} and {high} (got {value}).",
                       "每批步数必须在 {low} 到 {high} 之间（当前为 {value}）。"),
    "attr.err.layer": (
        "This network has no layer named '{layer}'. Try one of: {choices}.",
        "这个网络没有名为“{layer}”的层。请试试：{choices}。",
    ),
    "attr.err.layer_not_spatial": (
        "Layer '{layer}' gives {shape} values, not feature maps: Grad-CAM needs a convolutional layer. "
        "Choose one before the classifier.",
        "层“{layer}”输出的是 {shape} 个数值，不是特征图：Grad-CAM 需要卷积层。请选择分类器之前的层。",
    ),
    "attr.err.layer_unused": (
        "Layer '{layer}' exists but this network never runs it on a picture, so it has no feature maps. "
        "Choose another layer.",
        "层“{layer}”存在，但这个网络处理图片时从不运行它，因此没有特征图。请选择其他层。",
    ),
    "attr.err.window": ("The patch size must be between {low} and {high} pixels (got {value}).",
                        "遮挡块大小必须在 {low} 到 {high} 像素之间（当前为 {value}）。"),
    "attr.err.stride": ("The patch stride must be between {low} and {high} pixels (got {value}).",
                        "遮挡块步幅必须在 {low} 到 {high} 像素之间（当前为 {value}）。"),
    "attr.err.occlusion_windows": (
        "These settings cover {count} patch positions, more than the limit of {limit}. Use a stride of at "
        "least {stride} pixels, or a larger patch.",
        "这些设置需要遮挡 {count} 个位置，超过了上限 {limit}。请把步幅设为至少 {stride} 像素，或使用更大的遮挡块。",
    ),
    "attr.err.sign": ("Unknown choice '{sign}' of what to show. Choose one of: {choices}.",
                      "未知的显示方式“{sign}”。请从以下选项中选择：{choices}。"),
    "attr.err.opacity": ("The opacity must be between {low} and {high} (got {value}).",
                         "不透明度必须在 {low} 到 {high} 之间（当前为 {value}）。"),
    "attr.err.clip": ("The clipping percentile must be between {low} and {high} (got {value}).",
                      "截断百分位数必须在 {low} 到 {high} 之间（当前为 {value}）。"),
    "attr.err.shape": ("The map is {got} but the picture is {want}; they must be the same size.",
                       "归因图大小为 {got}，图片大小为 {want}；两者必须相同。"),
}
