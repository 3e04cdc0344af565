"""Strings of the feature-map tab: layers, channel grids, predictions and the comparison of all eight networks."""

STRINGS: dict[str, tuple[str, str]] = {
    # what each layer does
    "feat.role.conv": ("convolution", "卷积"),
    "feat.role.depthwise": ("depthwise convolution (one filter per channel)", "深度卷积（每个通道一个卷积核）"),
    "feat.role.pointwise": ("pointwise 1×1 convolution (mixes channels)", "逐点 1×1 卷积（混合通道）"),
    "feat.role.pool": ("pooling", "池化"),
    "feat.role.norm": ("normalisation", "归一化"),
    "feat.role.act": ("activation", "激活函数"),
    "feat.role.linear": ("fully connected", "全连接"),
    "feat.role.concat": ("⧉ concatenation on channels", "⧉ 按通道拼接"),
    "feat.role.concat_parts": ("⧉ concatenation of 4 paths: {parts} channels", "⧉ 拼接 4 条路径：{parts} 个通道"),
    "feat.role.add": ("⊕ block output: F(x) + x (skip connection)", "⊕ 残差块输出：F(x) + x（捷径连接）"),
    "feat.role.separable": ("depthwise then pointwise (separable)", "深度卷积后接逐点卷积（可分离卷积）"),
    "feat.role.block": ("block output", "模块输出"),
    "feat.role.other": ("reshape", "变形"),
    "feat.shown": ("first {shown} of {total} channels", "前 {shown} 个通道，共 {total} 个"),
    # figures
    "feat.fig.layer": ("{name} ({kind}, {shape}): channels {first}–{last}",
                       "{name}（{kind}，{shape}）：通道 {first}–{last}"),
    "feat.fig.hover": ("channel %{{customdata[0]}}, row %{{customdata[1]}}, column %{{customdata[2]}}"
                       "<br>value %{{customdata[3]:.4g}}",
                       "通道 %{{customdata[0]}}，第 %{{customdata[1]}} 行，第 %{{customdata[2]}} 列"
                       "<br>数值 %{{customdata[3]:.4g}}"),
    "feat.fig.vector": ("{name} ({kind}): {size} values", "{name}（{kind}）：{size} 个数值"),
    # the layer table
    "feat.col.index": ("#", "#"),
    "feat.col.name": ("layer", "层"),
    "feat.col.kind": ("type", "类型"),
    "feat.col.role": ("what it does", "作用"),
    "feat.col.shape": ("output shape", "输出形状"),
    "feat.col.params": ("parameters", "参数量"),
    "feat.col.macs": ("multiply-adds", "乘加次数"),
    "feat.col.comment": ("shape comment in the code", "代码中的形状注释"),
    # errors
    "feat.err.layer": ("There is no layer called '{name}' in this network. Pick one from the list.",
                       "这个网络里没有名为“{name}”的层。请从列表中选择。"),
    "feat.err.scale": ("Unknown colour scale '{scale}'. Use one of: {choices}.",
                       "未知的颜色范围“{scale}”。请使用：{choices}。"),
    "feat.err.temperature": ("The temperature must be between {low} and {high}.", "温度必须在 {low} 到 {high} 之间。"),
    # the tab
    "feat.tab": ("§2–§9 · CNN feature maps", "§2–§9 · CNN 特征图"),
    "feat.intro": (
        "**Primer §2–§9.** Put a picture through a real network and see what every layer computes, from one "
        "forward pass: each layer's channels as small pictures (click one to see all its channels larger, "
        "with the value PyTorch computed under the pointer), the layer table with shapes, parameters and "
        "multiply-adds, and the predictions. The bundled networks were trained on coloured handwritten digits "
        "(try the digits, or draw one); for photos choose **ImageNet** weights (downloaded once, about "
        "10–550 MB). Red is positive, blue negative, white zero.",
        "**入门 §2–§9。** 把一张图片送进真实的网络，看每一层计算出什么——全部来自同一次前向传播："
        "每层的各个通道显示为小图（点击一层即可放大查看全部通道，鼠标悬停显示 PyTorch 计算出的数值），"
        "层表列出形状、参数量和乘加次数，以及预测结果。内置网络是在彩色手写数字上训练的（试试数字示例，"
        "或者自己画一个）；照片请选择 **ImageNet** 权重（首次使用时下载，约 10–550 MB）。"
        "红色为正，蓝色为负，白色为零。",
    ),
    "feat.network": ("Network", "网络"),
    "feat.weights": ("Weights", "权重"),
    "feat.weights.info": ("bundled: trained here on digits · ImageNet: torchvision's, downloaded on first use · "
                          "trained: the one you trained in the Training tab",
                          "内置：在此用数字训练 · ImageNet：torchvision 的权重，首次使用时下载 · "
                          "我训练的：你在训练循环页训练的网络"),
    "feat.weights.bundled": ("bundled (digits)", "内置（数字）"),
    "feat.weights.imagenet": ("ImageNet (torchvision)", "ImageNet（torchvision）"),
    "feat.weights.trained": ("my trained network", "我训练的网络"),
    "feat.image": ("Picture", "图片"),
    "feat.draw": ("Draw a digit", "手写一个数字"),
    "feat.use_drawing": ("Use my drawing", "使用我的画"),
    "feat.fit": ("Make it square by", "取成正方形的方式"),
    "feat.fit.info": ("pad keeps the whole picture (adds borders); crop keeps the centre (ImageNet's way)",
                      "填充保留整张图片（加边框）；裁剪保留中间部分（ImageNet 的做法）"),
    "feat.fit.pad": ("padding", "填充"),
    "feat.fit.crop": ("centre crop", "中心裁剪"),
    "feat.scale": ("Colour range", "颜色范围"),
    "feat.scale.info": ("what the strongest red or blue means: each channel's own largest value, the layer's, or "
                        "the whole network's",
                        "最深的红或蓝代表什么：每个通道自己的最大值、整层的最大值，或整个网络的最大值"),
    "feat.scale.channel": ("per channel", "每个通道"),
    "feat.scale.layer": ("per layer", "每层"),
    "feat.scale.network": ("whole network", "整个网络"),
    "feat.temperature": ("Softmax temperature", "Softmax 温度"),
    "feat.temperature.info": ("softmax(logits / T), as in §1: T < 1 sharpens, T > 1 flattens",
                              "softmax(logits / T)，与 §1 相同：T < 1 更尖锐，T > 1 更平缓"),
    "feat.seen": ("What the network sees", "网络看到的图像"),
    "feat.seen.enlarged": ("shown enlarged ×{factor}: each block is one pixel the network sees",
                           "放大 ×{factor} 显示：每个方块是网络看到的一个像素"),
    "feat.predictions": ("Predictions", "预测"),
    "feat.gallery": ("Every layer (click one to enlarge it)", "每一层（点击放大）"),
    "feat.layer": ("Layer shown large", "放大显示的层"),
    "feat.first_channel": ("From channel", "起始通道"),
    "feat.first_channel.info": ("big layers are shown a page of channels at a time", "大的层一次显示一页通道"),
    "feat.table": ("Layer table: shapes, parameters, multiply-adds", "层表：形状、参数量、乘加次数"),
    "feat.steps": ("what was done to your picture: {steps}", "对你的图片所做的处理：{steps}"),
    "feat.summary": ("{layers} layers in one forward pass, {maps} of them feature maps · {params} parameters · "
                     "{macs} M multiply-adds",
                     "一次前向传播经过 {layers} 层，其中 {maps} 层输出特征图 · {params} 个参数 · {macs} M 次乘加"),
    # Grad-CAM etc.: the labels of the attribution controls (the method texts live in locale/attribution.py)
    "feat.attr.section": ("What did the network look at? (attribution with captum)",
                          "网络看的是哪里？（用 captum 做归因）"),
    "feat.attr.intro": (
        "Four ways to ask which pixels mattered for one class: **saliency** (the gradient), **Integrated "
        "Gradients** (gradients along a path from a black picture), **Grad-CAM** (a layer's maps weighted by "
        "their gradient) and **occlusion** (cover a patch, watch the score drop). The **sanity check** runs the "
        "same method on a copy of the network with random weights: a map that hardly changes was not explaining "
        "the network (Adebayo et al., 2018).",
        "有四种方法可以询问哪些像素对某个类别重要：**显著图**（梯度）、**积分梯度**"
        "（沿着从全黑图片出发的路径累积梯度）、**Grad-CAM**（用梯度加权某一层的特征图）和**遮挡**（遮住一小块，"
        "看分数下降多少）。**合理性检验**把同一方法用在一份权重随机的网络副本上：如果图几乎不变，"
        "说明它并没有在解释这个网络（Adebayo 等，2018）。",
    ),
    "feat.attr.target.predicted": ("the predicted class", "预测的类别"),
    "feat.attr.run": ("Explain", "解释"),
    "feat.attr.sanity": ("Sanity check: random weights", "合理性检验：随机权重"),
    "feat.attr.overlay": ("Attribution on the picture", "叠加在图片上的归因"),
    "feat.attr.sanity.gallery": ("Trained vs random weights", "训练后的权重 vs 随机权重"),
    "feat.attr.sanity.running": ("randomising a copy of the network", "正在随机化网络副本"),
    "feat.attr.sanity.trained": ("trained weights", "训练后的权重"),
    "feat.attr.sanity.random": ("random weights (a copy)", "随机权重（副本）"),
    # the comparison
    "cmp.section": ("One picture through all eight networks", "同一张图片经过全部八个网络"),
    "cmp.intro": (
        "The same picture through LeNet, AlexNet, VGG, GoogLeNet, ResNet, MobileNet v1/v2 and DenseNet: what each "
        "predicts, its size and cost, its latency measured now on this device (median of 9 runs, with their "
        "spread), its first and last feature maps and its Grad-CAM. Uses the picture and the square-making choice "
        "above.",
        "同一张图片经过 LeNet、AlexNet、VGG、GoogLeNet、ResNet、MobileNet v1/v2 和 DenseNet：各自的预测、大小与计算量、"
        "此刻在本设备上测得的延迟（9 次运行的中位数及其范围）、第一层与最后一层特征图，以及 Grad-CAM。"
        "使用上方的图片和取方形方式。",
    ),
    "cmp.run": ("Compare all networks", "比较全部网络"),
    "cmp.col.network": ("network", "网络"),
    "cmp.col.prediction": ("prediction", "预测"),
    "cmp.col.confidence": ("confidence", "置信度"),
    "cmp.col.params": ("parameters", "参数量"),
    "cmp.col.macs": ("multiply-adds", "乘加次数"),
    "cmp.col.latency": ("latency (ms)", "延迟（毫秒）"),
    "cmp.row.prediction": ("prediction", "预测"),
    "cmp.row.params": ("parameters", "参数量"),
    "cmp.row.macs": ("multiply-adds", "乘加次数"),
    "cmp.row.latency": ("latency on this device", "本设备上的延迟"),
    "cmp.latency_note": (
        "Latency: the median of {passes} bare forward passes after a warm-up, and under it the middle half of "
        "them (25th–75th percentile).",
        "延迟：热身之后 {passes} 次纯前向传播的中位数，下方是其中间一半（第 25–75 百分位）。",
    ),
    "cmp.latency_busy": (
        "⚠️ The machine was busy while timing (some networks' middle half is wider than half their median): "
        "networks whose ranges overlap cannot be ranked by speed, and the order may change on the next click. "
        "The numbers of parameters and multiply-adds do not change.",
        "⚠️ 计时时机器很忙（有些网络的中间一半宽于其中位数的一半）：范围重叠的网络无法按速度排序，"
        "下次点击时顺序可能改变。参数量和乘加次数不会变。",
    ),
    "cmp.row.seen": ("what it sees", "看到的图像"),
    "cmp.row.first": ("first convolution", "第一个卷积层"),
    "cmp.row.last": ("last convolutional stage", "最后的卷积阶段"),
    "cmp.row.cam": ("Grad-CAM", "Grad-CAM"),
    "cmp.missing.no_imagenet": ("no ImageNet version in torchvision", "torchvision 中没有 ImageNet 版本"),
    "cmp.missing.not_downloaded": ("not downloaded yet: choose it above with ImageNet weights first",
                                   "尚未下载：请先在上方选择它并使用 ImageNet 权重"),
    "cmp.missing.not_trained": ("not trained in this session", "本次会话中尚未训练"),
    "cmp.err.none": ("No network could run.", "没有可以运行的网络。"),
    "cmp.err.none_imagenet": ("No ImageNet network is downloaded yet. Choose a network above with ImageNet weights "
                              "to download it, then compare.",
                              "还没有下载任何 ImageNet 网络。请先在上方选择一个网络并使用 ImageNet 权重来下载，"
                              "然后再比较。"),
    "cmp.err.none_trained": ("You have not trained a network in this session yet (Training tab).",
                             "本次会话中你还没有训练任何网络（训练循环页）。"),
}
