"""Strings of the "Neurons & activations" tab (primer §1)."""

STRINGS: dict[str, tuple[str, str]] = {
    "act.tab": ("§1 · Neurons & activations", "§1 · 神经元与激活函数"),
    "act.intro": (
        "**Primer §1.** A neuron computes $h=\\sum_i w_i x_i+b$ and passes it through an activation "
        "$f(h)$. Everything below is computed by PyTorch as you move the controls.",
        "**入门 §1。** 一个神经元先计算 $h=\\sum_i w_i x_i+b$，再经过激活函数 $f(h)$。下面的一切都在你拖动控件时由 "
        "PyTorch 实时计算。",
    ),
    # sub-tabs
    "act.sub.curves": ("Activation functions", "激活函数"),
    "act.sub.neuron": ("A single neuron", "单个神经元"),
    "act.sub.softmax": ("Softmax", "Softmax"),
    "act.sub.collapse": ("Why activations?", "为什么需要激活函数？"),
    "act.sub.losses": ("MSE vs cross-entropy", "MSE 与交叉熵"),
    # curves
    "act.curves.md": (
        "Each curve is the real `torch.nn` module; the dotted curve on the right is its derivative, "
        "computed by **autograd** (`y.sum().backward()`), not written by hand. Notice where the derivative "
        "is almost 0: sigmoid and tanh *saturate*, which is why AlexNet switched to ReLU (primer §4).",
        "每条曲线都来自真实的 `torch.nn` 模块；右侧虚线是它的导数，由 **自动求导**（`y.sum().backward()`）算出，"
        "而不是手写公式。注意导数接近 0 的区域：sigmoid 和 tanh 会 *饱和*，这正是 AlexNet 改用 ReLU 的原因"
        "（入门 §4）。",
    ),
    "act.choose": ("Activations to compare", "要比较的激活函数"),
    "act.x_min": ("x from", "x 起点"),
    "act.x_max": ("x to", "x 终点"),
    "act.negative_slope": ("LeakyReLU slope", "LeakyReLU 负半轴斜率"),
    "act.negative_slope.info": ("f(x) = slope·x for x < 0", "x < 0 时 f(x) = 斜率·x"),
    "act.alpha": ("ELU α", "ELU 的 α"),
    "act.alpha.info": ("f(x) = α(eˣ − 1) for x < 0", "x < 0 时 f(x) = α(eˣ − 1)"),
    "act.beta": ("Softplus β", "Softplus 的 β"),
    "act.beta.info": ("f(x) = log(1 + e^{{βx}}) / β", "f(x) = log(1 + e^{{βx}}) / β"),
    "act.fig.curves": ("Activation f(x) and its derivative f′(x) (autograd)",
                       "激活函数 f(x) 及其导数 f′(x)（自动求导）"),
    "act.fig.derivative": ("f′(x) by autograd", "f′(x)（自动求导）"),
    # neuron
    "act.neuron.md": (
        "The primer's figure 1 with numbers: multiply each input by its weight, add the bias, apply $f$. "
        "The dashed line is the slope $f'(h)$ — how strongly this neuron would pass a gradient back.",
        "用数字重现入门的图 1：每个输入乘以它的权重，加上偏置，再经过 $f$。虚线是斜率 $f'(h)$——它决定这个神经元"
        "把梯度往回传得有多强。",
    ),
    "act.x": ("an input x", "输入 x"),
    "act.w": ("a weight w", "权重 w"),
    "act.logits": ("a logit z", "logit z"),
    "act.x1": ("input x₁", "输入 x₁"),
    "act.x2": ("input x₂", "输入 x₂"),
    "act.x3": ("input x₃", "输入 x₃"),
    "act.w1": ("weight w₁", "权重 w₁"),
    "act.w2": ("weight w₂", "权重 w₂"),
    "act.w3": ("weight w₃", "权重 w₃"),
    "act.bias": ("bias b", "偏置 b"),
    "act.function": ("Activation f", "激活函数 f"),
    "act.fig.neuron": ("y = {name}(h): where this neuron sits on its curve", "y = {name}(h)：这个神经元在曲线上的位置"),
    "act.fig.tangent": ("slope f′(h) = {slope}", "斜率 f′(h) = {slope}"),
    "act.neuron.slope": (
        "Slope at this point (autograd): $f'(h)$ = **{slope}**",
        "该点的斜率（自动求导）：$f'(h)$ = **{slope}**",
    ),
    # softmax
    "act.softmax.md": (
        "Softmax turns any numbers into probabilities: $p_i = e^{{x_i/T}} / \\sum_j e^{{x_j/T}}$. "
        "Type your own numbers. The primer's example `3, 1, -3` gives `[0.88, 0.12, 0.00]`. "
        "Try `1000, 1001` (the textbook formula overflows; subtracting the maximum first does not) and "
        "the temperature $T$: small $T$ sharpens, large $T$ flattens.",
        "Softmax 把任意一组数变成概率：$p_i = e^{{x_i/T}} / \\sum_j e^{{x_j/T}}$。输入你自己的数。"
        "入门中的例子 `3, 1, -3` 得到 `[0.88, 0.12, 0.00]`。试试 `1000, 1001`（课本公式会溢出，先减去最大值就不会）"
        "以及温度 $T$：$T$ 小则分布更尖锐，$T$ 大则更平坦。",
    ),
    "act.numbers": ("Your numbers (logits)", "你的数（logits）"),
    "act.numbers.placeholder": ("3, 1, -3", "3, 1, -3"),
    "act.numbers.info": (
        "Separate with commas or spaces; up to 32 numbers. Press Enter to compute.",
        "用逗号或空格分隔；最多 32 个数。按回车键计算。",
    ),
    "act.temperature": ("Temperature T", "温度 T"),
    "act.fig.softmax": ("Softmax at T = {temp} vs. dividing by the sum", "T = {temp} 时的 softmax 与“除以总和”的对比"),
    "act.fig.softmax_bar": ("softmax", "softmax"),
    "act.fig.by_sum_bar": ("x / Σx (no exp)", "x / Σx（不取指数）"),
    "act.fig.probability": ("probability", "概率"),
    "act.sm.unshifted_exp_col": ("exp(x/T) without −max", "不减最大值的 exp(x/T)"),
    "act.sm.unshifted_col": ("softmax without −max", "不减最大值的 softmax"),
    "act.sm.sum": ("The probabilities add up to {total}.", "这些概率之和为 {total}。"),
    "act.sm.overflow": (
        "⚠️ Without subtracting the maximum, $e^{{x}}$ overflows to ∞ and ∞/∞ is **NaN** — that is why every "
        "framework computes softmax from $x - \\max(x)$, which gives the same probabilities.",
        "⚠️ 不先减去最大值时，$e^{{x}}$ 会溢出为 ∞，∞/∞ 得到 **NaN**——所以所有框架都用 $x - \\max(x)$ 来计算 softmax，"
        "得到的概率完全相同。",
    ),
    "act.sm.by_sum_negative": (
        "⚠️ Dividing by the sum gives **negative \"probabilities\"** for negative numbers. The exponential "
        "makes everything positive and widens the differences (primer §1).",
        "⚠️ 直接除以总和，负数会得到 **负的“概率”**。指数运算让所有值变为正数，并放大差异（入门 §1）。",
    ),
    "act.sm.by_sum_undefined": (
        "⚠️ These numbers add up to 0, so dividing by the sum has **no answer** at all; softmax still works.",
        "⚠️ 这些数之和为 0，直接除以总和 **根本没有结果**；softmax 依然可以计算。",
    ),
    # linear collapse
    "act.collapse.md": (
        "Primer §1: without an activation, $Y=(XW_1+b_1)W_2+b_2 = X(W_1W_2) + (b_1W_2+b_2)$ — two linear "
        "layers are exactly one linear layer, however wide. The thick blue line is a real two-layer "
        "`nn.Linear` network (1 → hidden → 1), the dashed green line the single merged layer: they coincide. "
        "Insert an activation between the layers and the line bends.",
        "入门 §1：没有激活函数时，$Y=(XW_1+b_1)W_2+b_2 = X(W_1W_2) + (b_1W_2+b_2)$——两层线性层无论多宽，都恰好等于"
        "一层线性层。粗蓝线是真实的两层 `nn.Linear` 网络（1 → 隐藏层 → 1），绿色虚线是合并后的单层：二者完全重合。"
        "在两层之间插入激活函数，直线就弯折了。",
    ),
    "act.hidden": ("Hidden width", "隐藏层宽度"),
    "act.seed": ("Random seed", "随机种子"),
    "act.collapse_activation": ("Activation to insert", "要插入的激活函数"),
    "act.fig.collapse": ("Two linear layers = one linear layer", "两层线性层 = 一层线性层"),
    "act.fig.two_linear": ("two layers, no activation", "两层，无激活函数"),
    "act.fig.one_linear": ("one merged layer X·W + b", "合并后的单层 X·W + b"),
    "act.fig.with_activation": ("two layers with {name}", "两层，中间有 {name}"),
    "act.collapse.weights": (
        "W₁ = {w1}, b₁ = {b1}, W₂ = {w2}ᵀ, b₂ = {b2}",
        "W₁ = {w1}，b₁ = {b1}，W₂ = {w2}ᵀ，b₂ = {b2}",
    ),
    "act.collapse.merged": (
        "Merged: **W = W₁W₂ = {w}**, **new_b = b₁W₂ + b₂ = {b}**",
        "合并后：**W = W₁W₂ = {w}**，**new_b = b₁W₂ + b₂ = {b}**",
    ),
    "act.collapse.diff_linear": (
        "✅ Two linear layers vs. the merged layer: max |Δ| = **{delta}** (floating-point rounding only).",
        "✅ 两层线性层与合并后的单层：最大 |Δ| = **{delta}**（仅为浮点舍入误差）。",
    ),
    "act.collapse.diff_activation": (
        "With {name} in between: max |Δ| = **{delta}** — no single linear layer can do this.",
        "中间插入 {name} 后：最大 |Δ| = **{delta}**——任何单层线性层都做不到。",
    ),
    # losses
    "act.losses.md": (
        "A classifier outputs logits $z$; softmax turns them into probabilities. Pick the true class and "
        "move the logits. **Cross-entropy** $-\\log p_{{true}}$ keeps pushing hard when the prediction is "
        "confidently wrong; **MSE** on the probabilities saturates, and its gradient almost vanishes "
        "exactly when the model is most wrong — why classification uses cross-entropy (primer §1).",
        "分类器输出 logits $z$，softmax 把它们变成概率。选择真实类别并调整 logits。当预测错得很自信时，**交叉熵** "
        "$-\\log p_{{真}}$ 仍然会用力纠正；而对概率求 **MSE** 会饱和，恰恰在模型错得最离谱时梯度几乎消失——"
        "这就是分类任务使用交叉熵的原因（入门 §1）。",
    ),
    "act.z1": ("logit z₁", "logit z₁"),
    "act.z2": ("logit z₂", "logit z₂"),
    "act.z3": ("logit z₃", "logit z₃"),
    "act.target": ("True class", "真实类别"),
    "act.class1": ("class 1", "类别 1"),
    "act.class2": ("class 2", "类别 2"),
    "act.class3": ("class 3", "类别 3"),
    "act.fig.losses": ("Loss and gradient as z{target} (the true class) varies",
                       "真实类别的 z{target} 变化时的损失与梯度"),
    "act.fig.ce": ("cross-entropy", "交叉熵"),
    "act.fig.loss": ("loss", "损失"),
    "act.fig.grad": ("|∂loss/∂z{target}|", "|∂损失/∂z{target}|"),
    "act.fig.target_logit": ("z{target} (true class logit)", "z{target}（真实类别的 logit）"),
    "act.loss.now": (
        "softmax(z) = {probs}; probability of the true class {target}: **{p}**",
        "softmax(z) = {probs}；真实类别 {target} 的概率：**{p}**",
    ),
    "act.loss.ce_line": ("Cross-entropy = {ce} · ‖∂CE/∂z‖ = {grad}", "交叉熵 = {ce} · ‖∂CE/∂z‖ = {grad}"),
    "act.loss.lesson": (
        "Move the true class's logit far below the others: the cross-entropy gradient stays near 1 while "
        "the MSE gradient fades towards 0.",
        "把真实类别的 logit 调到远低于其他类别：交叉熵的梯度保持在 1 附近，而 MSE 的梯度趋近于 0。",
    ),
    # errors
    "act.err.unknown": ("Unknown activation '{name}'. Choose one of: {choices}.",
                        "未知的激活函数“{name}”。请从以下选择：{choices}。"),
    "act.err.no_activation": ("Tick at least one activation to plot.", "请至少勾选一个激活函数。"),
    "act.err.range_order": (
        "The range must go from a smaller to a larger x (got {low} to {high}). Swap or change them.",
        "区间必须从较小的 x 到较大的 x（当前为 {low} 到 {high}）。请交换或修改它们。",
    ),
    "act.err.neuron_shape": (
        "A neuron needs one weight per input ({nx} inputs, {nw} weights).",
        "每个输入都需要一个权重（当前 {nx} 个输入，{nw} 个权重）。",
    ),
}
