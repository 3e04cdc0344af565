"""Strings of the conv tab: convolution, pooling, output sizes, depthwise separable and transposed convolution."""

STRINGS: dict[str, tuple[str, str]] = {
    # --- tab, sections and explanations -------------------------------------------------------------
    "conv.tab": ("§2 · Convolution & pooling", "§2 · 卷积与池化"),
    "conv.typed": ("Type your own numbers", "输入你自己的数"),
    "conv.typed.md": (
        "Typed numbers replace the random ones (leave a box empty to keep them). A typed input also sets the "
        "input size and channels. Leave the box (or press Tab) to apply.",
        "输入的数会替换随机数（留空则保留随机数）。输入的矩阵也决定输入的大小和通道数。离开输入框（或按 Tab 键）"
        "即可生效。",
    ),
    "conv.preset.custom": ("— your own settings —", "— 自定义设置 —"),
    "conv.pool_stride": ("Stride", "步幅"),
    "conv.t_preset": ("Undo a conv_arithmetic example", "还原一个 conv_arithmetic 示例"),
    "conv.t_preset.info": (
        "Sets the transposed convolution that maps that example's output size back to its input size.",
        "设置一个转置卷积，把该示例的输出尺寸映射回它的输入尺寸。",
    ),
    "conv.typed_transposed_kernel": ("Your kernel (optional)", "自定义卷积核（可选）"),
    "conv.err.value_too_big": (
        "A value of size {value} is too large here; keep every number within ±{limit} so the sums stay readable.",
        "数值 {value} 太大了；请让每个数都在 ±{limit} 以内，这样求和结果才清晰可读。",
    ),
    "conv.cost_in": ("Input channels", "输入通道数"),
    "conv.cost_in.info": ("Any count up to 4096: only the arithmetic is done.",
                          "最多 4096：这里只做计数，不分配张量。"),
    "conv.cost_out": ("Output channels", "输出通道数"),
    "conv.cost_out.info": ("E.g. 4 as in the primer's figure, or 256 in a real network.",
                           "例如入门图中的 4，或真实网络中的 256。"),
    "conv.t_check": ("{way}: {badge}", "{way}：{badge}"),
    "conv.way_a": ("(a) scatter-add", "(a) 分散相加"),
    "conv.way_b": ("(b) zeros + flipped kernel", "(b) 插零 + 翻转卷积核"),
    "conv.way_c": ("(c) y = Cᵀx", "(c) y = Cᵀx"),
    "conv.intro": (
        "A kernel slides over the input; at every position the cells under it are multiplied by the kernel's "
        "numbers and added up — that sum (plus the bias) is one output cell. Choose the sizes (the figure "
        "follows at once), then press ▶ Play or drag the slider to watch every output cell being computed. "
        "Each result is checked "
        "against PyTorch's own function.",
        "卷积核在输入上滑动；在每个位置，把它覆盖的格子与卷积核上对应的数相乘再求和——这个和（再加上偏置）"
        "就是一个输出格。选好尺寸（图会立即更新），再点 ▶ 播放或拖动滑块，就能看到每个输出格是怎样算出来的。"
        "每个结果都会与 PyTorch 自带的函数核对。",
    ),
    "conv.section.conv": ("Convolution step by step", "逐步演示卷积"),
    "conv.section.arithmetic": ("Output size", "输出尺寸"),
    "conv.section.pool": ("Pooling", "池化（汇聚）"),
    "conv.section.separable": ("Depthwise separable convolution", "深度可分离卷积"),
    "conv.section.transposed": ("Transposed convolution", "转置卷积"),
    "conv.explain.conv": (
        "**How one output cell is made.** Put the kernel on the (padded) input, multiply each covered cell by the "
        "kernel number on top of it, add all products, then add the bias. Move the kernel by the *stride* and "
        "repeat, row by row. *Padding* adds a border of zeros (grey cells) so the kernel can also sit over the "
        "edges; *dilation* spreads the kernel's cells apart, so it reads every d-th cell and sees a wider area "
        "with the same number of weights.",
        "**一个输出格是怎么来的。** 把卷积核放在（填充后的）输入上，把它覆盖的每个格子与它上方的卷积核数值相乘，"
        "把所有乘积相加，再加上偏置。然后按*步幅*移动卷积核，一行一行地重复。*填充*在四周补一圈 0（灰色格子），"
        "让卷积核也能覆盖边缘；*膨胀*把卷积核的格子拉开，每隔 d 个格子读一个，用同样多的权重看到更大的范围。",
    ),
    "conv.explain.channels": (
        "**Several channels.** With several input channels, every output channel has one kernel slice *per input "
        "channel*: each slice is applied to its own channel, and the channel results are **added up** into one "
        "output (the primer's figure 8). Several output channels simply means several such kernels (figure 9), so "
        "the weight has shape (C_out, C_in, k, k). With *groups* = g the channels are split into g groups and an "
        "output channel only reads the inputs of its group; groups = C_in is the **depthwise** convolution of "
        "MobileNet. A **1×1** kernel mixes the channels at each pixel without looking at neighbours.",
        "**多个通道。** 输入有多个通道时，每个输出通道对*每个输入通道*都有一片卷积核：每一片只作用在自己的通道上，"
        "各通道的结果再**相加**，得到一个输出通道（《基础》中的图 8）。多个输出通道就是多组这样的卷积核（图 9），"
        "所以权重的形状是 (C_out, C_in, k, k)。把*分组数*设为 g 时，通道被分成 g 组，每个输出通道只读取本组的输入通道；"
        "分组数等于输入通道数时，就是 MobileNet 的 **depthwise（逐通道）卷积**。**1×1** 卷积核不看相邻像素，"
        "只在每个像素位置上把各通道加权组合。",
    ),
    "conv.explain.arithmetic": (
        "**Output size.** Along each side, an input of n cells padded by p on both sides, a kernel of k cells "
        "with dilation d (it spans d·(k − 1) + 1 cells) and stride s give ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 "
        "output cells; the ⌊ ⌋ means a last window that does not fit is dropped. The eight examples are the "
        "animations of Dumoulin & Visin's *A guide to convolution arithmetic for deep learning* "
        "(github.com/vdumoulin/conv_arithmetic).",
        "**输出尺寸。** 沿每条边：输入有 n 个格子，两侧各填充 p 格，卷积核有 k 个格子、膨胀率为 d"
        "（它覆盖 d·(k − 1) + 1 个格子），步幅为 s，则输出有 ⌊(n + 2p − d·(k − 1) − 1) / s⌋ + 1 个格子；"
        "⌊ ⌋ 表示放不下的最后一个窗口被舍去。这八个例子就是 Dumoulin 和 Visin 的《深度学习卷积算术指南》中的动画"
        "（github.com/vdumoulin/conv_arithmetic）。",
    ),
    "conv.explain.pool": (
        "**Pooling** keeps the channels and shrinks the picture: each window is replaced by its **largest** value "
        "(max pooling) or its **mean** (average pooling). It has no weights. By default the stride equals the "
        "window size, so windows do not overlap. Max pooling pads with −∞, so padding never wins; average pooling "
        "pads with zeros and — PyTorch's default `count_include_pad=True` — divides by the full window size, "
        "padded zeros included, so averages at the border come out smaller. PyTorch allows at most half the "
        "window size as padding.",
        "**池化（汇聚）** 不改变通道数，只把图缩小：每个窗口被替换成其中的**最大值**（最大池化）或**平均值**"
        "（平均池化）。池化层没有权重。默认步幅等于窗口大小，所以窗口互不重叠。最大池化用 −∞ 填充，"
        "所以填充的格子永远不会被选中；平均池化用 0 填充，"
        "并且按 PyTorch 的默认设置 `count_include_pad=True` 除以整个窗口的格子数（填充的 0 也算在内），"
        "所以边缘处的平均值会偏小。PyTorch 规定填充最多为窗口大小的一半。",
    ),
    "conv.explain.separable": (
        "**Depthwise separable convolution** (MobileNet, primer §8) splits a standard k×k convolution into a "
        "**depthwise** k×k convolution (one kernel per input channel, groups = C_in) and a **pointwise** 1×1 "
        "convolution that mixes the channels. Weights: C_in·k² + C_in·C_out instead of C_out·C_in·k², a ratio of "
        "exactly **1/C_out + 1/k²** (biases left out); the multiply-adds shrink by the same ratio. For the primer's "
        "figure (3 input channels, 4 output channels, 3×3) that is 39/108 ≈ 0.36: about a third. The counts are "
        "checked against real `nn.Conv2d` modules and PyTorch's FLOP counter (which counts 2 FLOPs per "
        "multiply-add).",
        "**深度可分离卷积**（MobileNet，《基础》第 8 节）把一个标准的 k×k 卷积拆成两步："
        "**depthwise（逐通道）** k×k 卷积（每个输入通道一个卷积核，分组数 = C_in）"
        "和把通道混合起来的 **pointwise（逐点）** 1×1 卷积。权重个数从 C_out·C_in·k² 变为 C_in·k² + C_in·C_out，"
        "比值恰好是 **1/C_out + 1/k²**（不计偏置）；乘加次数按同样的比例减少。按《基础》中的图（3 个输入通道、"
        "4 个输出通道、3×3 卷积核）算，是 39/108 ≈ 0.36，约为三分之一。"
        "这些数都与真实的 `nn.Conv2d` 模块以及 PyTorch 的 FLOP 计数器（每次乘加记 2 次浮点运算）核对过。",
    ),
    "conv.explain.transposed": (
        "**Transposed convolution** makes a map *larger* (FCN's upsampling, primer §11). Here the **input** is the "
        "small map and the **output** the large one. Three ways to compute it give the same numbers: "
        "**(a)** every input cell adds *its value × the kernel* into the output at (i·s, j·s), overlaps add up, "
        "then `padding` cells are cut from every side; **(b)** insert s − 1 zeros between the input cells, pad by "
        "d·(k − 1) − p (plus `output_padding` at the bottom and right), and run an ordinary stride-1 convolution "
        "with the kernel turned 180° — \"a convolution with lots of zeros around the picture\", as the primer says; "
        "**(c)** write the ordinary convolution that maps the output's size back to the input's size as a matrix "
        "C: the transposed convolution is y = Cᵀ·x, which is where its name comes from. It is *not* the inverse "
        "of that convolution: it restores the size, not the values. `output_padding` picks one of the output sizes "
        "that a stride-s convolution would map to the same input size, so it must be smaller than the stride "
        "(or the dilation).",
        "**转置卷积**把特征图变*大*（FCN 中的上采样，《基础》第 11 节）。这里的**输入**是小图，**输出**是大图。"
        "三种算法得到的数完全相同：**(a)** 每个输入格把*自己的值 × 卷积核*加到输出的 (i·s, j·s) 处，重叠的部分相加，"
        "最后从四周各裁掉 `padding` 个格子；**(b)** 在输入格之间插入 s − 1 个 0，四周填充 d·(k − 1) − p 个格子"
        "（下边和右边再多填 `output_padding` 个），然后用旋转 180° 的卷积核做普通的步幅为 1 的卷积——正如《基础》所说，"
        "“在原始图片的周围填充了很多的 0”；**(c)** 把从输出尺寸映射回输入尺寸的普通卷积写成矩阵 C，"
        "转置卷积就是 y = Cᵀ·x，“转置”之名正是由此而来。它*不是*那个卷积的逆运算：恢复的是尺寸，而不是数值。"
        "步幅为 s 的卷积会把几种不同的输入尺寸映射到同一个输出尺寸，`output_padding` 就是在其中选一个，"
        "因此它必须小于步幅（或膨胀率）。",
    ),
    "conv.explain.transposed_a": (
        "(a) Each frame adds one kernel copy, scaled by one input cell (summed over the input channels), into the "
        "canvas. The dashed frame is the part kept as the output after cropping `padding` from every side.",
        "(a) 每一帧把一份按某个输入格缩放的卷积核（对各输入通道求和）加到画布上。"
        "虚线框是从四周各裁掉 `padding` 后保留下来的输出部分。",
    ),
    "conv.explain.transposed_b": (
        "(b) The same result as an ordinary convolution: grey cells are inserted or padded zeros, the kernel is "
        "turned 180°, and input and output channels are swapped.",
        "(b) 用普通卷积得到同样的结果：灰色格子是插入或填充的 0，卷积核旋转了 180°，输入通道和输出通道互换。",
    ),
    "conv.explain.transposed_c": (
        "(c) Row r of C is the window of the ordinary convolution's output cell r laid on the large map; the "
        "transposed convolution multiplies by Cᵀ instead, sending each input cell back to the cells of that window.",
        "(c) C 的第 r 行，就是普通卷积第 r 个输出格的窗口铺在大图上的样子；转置卷积改为乘以 Cᵀ，"
        "把每个输入格送回它窗口里的那些格子。",
    ),
    # --- controls -----------------------------------------------------------------------------------
    "conv.in_size": ("Input size", "输入尺寸"),
    "conv.in_size.info": (
        "Height and width of every input channel (1–12 cells).",
        "每个输入通道的高和宽（1–12 格）。",
    ),
    "conv.kernel": ("Kernel size", "卷积核尺寸"),
    "conv.kernel.info": ("k×k, at most 7×7.", "k×k，最大 7×7。"),
    "conv.stride": ("Stride", "步幅"),
    "conv.stride.info": (
        "How many cells the kernel moves between two output cells.",
        "相邻两个输出格之间，卷积核移动的格数。",
    ),
    "conv.padding": ("Padding", "填充"),
    "conv.padding.info": (
        "Rows and columns of zeros added on every side of the input.",
        "在输入的上下左右各补几行、几列 0。",
    ),
    "conv.dilation": ("Dilation", "膨胀率"),
    "conv.dilation.info": (
        "Spacing of the cells the kernel reads: 2 reads every other cell (a dilated or atrous convolution).",
        "卷积核读取的格子之间的间距：2 表示隔一个格子读一个（膨胀卷积，也叫空洞卷积）。",
    ),
    "conv.in_channels": ("Input channels", "输入通道数"),
    "conv.in_channels.info": ("Channels of the input, e.g. 3 for RGB (1–4).",
                              "输入的通道数，例如 RGB 图像为 3（1–4）。"),
    "conv.out_channels": ("Output channels", "输出通道数"),
    "conv.out_channels.info": (
        "One kernel (with a slice per input channel) for each output channel (1–4).",
        "每个输出通道对应一组卷积核（每个输入通道一片）（1–4）。",
    ),
    "conv.groups": ("Groups", "分组数"),
    "conv.groups.info": (
        "Must divide both channel counts. Groups = input channels is a depthwise convolution.",
        "必须能同时整除输入和输出通道数。分组数等于输入通道数时就是 depthwise（逐通道）卷积。",
    ),
    "conv.bias": ("Bias", "偏置"),
    "conv.bias.info": (
        "Add one number per output channel to every cell of that channel.",
        "为每个输出通道加上一个数，加到该通道的每一个格子上。",
    ),
    "conv.seed": ("Random seed", "随机种子"),
    "conv.seed.info": (
        "The same seed gives the same small whole numbers again.",
        "相同的种子会再次生成相同的小整数。",
    ),
    "conv.typed_input": ("Your input (optional)", "自定义输入（可选）"),
    "conv.typed_input.info": (
        "One matrix per channel: numbers separated by spaces or commas, rows on separate lines; an empty line "
        "starts the next channel. Leave empty to use random numbers.",
        "每个通道一个矩阵：数字之间用空格或逗号分隔，每行单独占一行；空一行开始下一个通道。留空则使用随机数。",
    ),
    "conv.typed_kernel": ("Your kernel (optional)", "自定义卷积核（可选）"),
    "conv.typed_kernel.info": (
        "One k×k matrix per (output channel, input channel) pair, separated by empty lines, in the order "
        "(out 0, in 0), (out 0, in 1), …, then (out 1, in 0), … — as PyTorch stores weight[out, in]. With groups, "
        "give only the input channels of each output's group. Leave empty to use random numbers.",
        "每个（输出通道，输入通道）对一个 k×k 矩阵，矩阵之间空一行，顺序为 (输出 0, 输入 0)、(输出 0, 输入 1)、…，"
        "然后是 (输出 1, 输入 0)、……——与 PyTorch 存放 weight[输出, 输入] 的顺序相同。分组时，"
        "只需给出每个输出通道所在组的输入通道。留空则使用随机数。",
    ),
    "conv.typed_transposed_kernel.info": (
        "One k×k matrix per (input channel, output channel) pair, separated by empty lines, in the order "
        "(in 0, out 0), (in 0, out 1), …, then (in 1, out 0), … — as PyTorch stores a transposed convolution's "
        "weight[in, out]. Leave empty to use random numbers.",
        "每个（输入通道，输出通道）对一个 k×k 矩阵，矩阵之间空一行，顺序为 (输入 0, 输出 0)、(输入 0, 输出 1)、…，"
        "然后是 (输入 1, 输出 0)、……——与 PyTorch 存放转置卷积权重 weight[输入, 输出] 的顺序相同。留空则使用随机数。",
    ),
    "conv.typed_bias": ("Your bias (optional)", "自定义偏置（可选）"),
    "conv.typed_bias.info": (
        "One number per output channel, e.g. 1, -2. Leave empty for no bias.",
        "每个输出通道一个数，例如 1, -2。留空表示不加偏置。",
    ),
    "conv.output_padding": ("Output padding", "输出填充"),
    "conv.output_padding.info": (
        "Extra rows and columns at the bottom and right of the output; must be smaller than the stride or the "
        "dilation.",
        "在输出的下边和右边多加的行数和列数；必须小于步幅或膨胀率。",
    ),
    "conv.pool_kind": ("Pooling", "池化方式"),
    "conv.pool_kind.info": (
        "Max keeps each window's largest value; average divides the window's sum by its size.",
        "最大池化保留每个窗口中的最大值；平均池化把窗口内的和除以窗口的格子数。",
    ),
    "conv.pool_kind.max": ("Max pooling", "最大池化"),
    "conv.pool_kind.avg": ("Average pooling", "平均池化"),
    "conv.pool_kernel": ("Window size", "窗口大小"),
    "conv.pool_kernel.info": ("k×k window, at most 7×7.", "k×k 的窗口，最大 7×7。"),
    "conv.pool_stride.info": (
        "Usually equal to the window size (PyTorch's default), so windows do not overlap.",
        "通常等于窗口大小（PyTorch 的默认值），这样窗口互不重叠。",
    ),
    "conv.channel_shown": ("Channel shown", "显示的通道"),
    "conv.channel_shown.info": (
        "Which output channel the animation shows (numbered from 0, as in PyTorch).",
        "动画显示哪一个输出通道（与 PyTorch 一样从 0 开始编号）。",
    ),
    "conv.out_size": ("Output size", "输出尺寸"),
    "conv.out_size.info": (
        "Height and width of the output feature map (the cost grows with its area).",
        "输出特征图的高和宽（计算量随其面积增长）。",
    ),
    "conv.preset": ("conv_arithmetic example", "conv_arithmetic 示例"),
    "conv.preset.info": (
        "The eight animations of Dumoulin & Visin's guide to convolution arithmetic.",
        "Dumoulin 与 Visin《卷积算术指南》中的八个动画。",
    ),
    "conv.preset.no_padding_no_strides": ("No padding, unit strides", "无填充，步幅为 1"),
    "conv.preset.arbitrary_padding_no_strides": ("Arbitrary padding, unit strides", "任意填充，步幅为 1"),
    "conv.preset.same_padding_no_strides": ("Half (\"same\") padding, unit strides", "一半（\"same\"）填充，步幅为 1"),
    "conv.preset.full_padding_no_strides": ("Full padding, unit strides", "全填充，步幅为 1"),
    "conv.preset.no_padding_strides": ("No padding, strides", "无填充，步幅大于 1"),
    "conv.preset.padding_strides": ("Padding, strides", "有填充，步幅大于 1"),
    "conv.preset.padding_strides_odd": ("Padding, strides (odd)", "有填充，步幅大于 1（不整除）"),
    "conv.preset.dilation": ("Dilation", "膨胀卷积"),
    "conv.layout.conv": (
        "(output channels, input channels ÷ groups, kernel height, kernel width)",
        "（输出通道数, 输入通道数 ÷ 分组数, 卷积核高, 卷积核宽）",
    ),
    "conv.layout.transposed": (
        "(input channels, output channels, kernel height, kernel width)",
        "（输入通道数, 输出通道数, 卷积核高, 卷积核宽）",
    ),
    # --- output-size formula (Markdown) ---------------------------------------------------------------
    "conv.formula.general": ("**Output side** = {formula}", "**输出边长** = {formula}"),
    "conv.formula.both": ("Height and width: {text}", "高和宽：{text}"),
    "conv.formula.height": ("Height: {text}", "高：{text}"),
    "conv.formula.width": ("Width: {text}", "宽：{text}"),
    # --- figures --------------------------------------------------------------------------------------
    "conv.fig.conv_title": (
        "Output channel {o}: input channel(s) {channels} → one output, {count} cells",
        "输出通道 {o}：输入通道 {channels} → 一个输出，共 {count} 个格子",
    ),
    "conv.fig.input": ("input {c}", "输入 {c}"),
    "conv.fig.input_padded": ("input {c}, padded", "输入 {c}（已填充）"),
    "conv.fig.kernel": ("kernel [{o}, {m}]", "卷积核 [{o}, {m}]"),
    "conv.fig.partial": ("share of input {c}", "输入 {c} 的部分和"),
    "conv.fig.output": ("output {o} = Σ shares", "输出 {o} = 各部分和之和"),
    "conv.fig.output_bias": ("output {o} = Σ shares + bias {b}", "输出 {o} = 各部分和之和 + 偏置 {b}"),
    "conv.fig.pad": ("padding (not part of the input)", "填充（不属于输入）"),
    "conv.fig.value": ("value", "数值"),
    "conv.fig.row": ("row", "行"),
    "conv.fig.col": ("col", "列"),
    "conv.fig.bias": ("bias", "偏置"),
    "conv.fig.play": ("▶ Play", "▶ 播放"),
    "conv.fig.pause": ("❚❚ Pause", "❚❚ 暂停"),
    "conv.fig.cell": ("output cell ", "输出格 "),
    "conv.fig.input_cell": ("input cell ", "输入格 "),
    "conv.fig.pool_title.max": ("Max pooling, channel {c}: {count} windows", "最大池化，通道 {c}：共 {count} 个窗口"),
    "conv.fig.pool_title.avg": ("Average pooling, channel {c}: {count} windows",
                                "平均池化，通道 {c}：共 {count} 个窗口"),
    "conv.fig.pool_output": ("output {c}", "输出 {c}"),
    "conv.fig.pool_avg_note": ("padded zeros count (count_include_pad=True)",
                               "填充的 0 也计入（count_include_pad=True）"),
    "conv.fig.max_cell": ("the window's maximum", "窗口中的最大值"),
    "conv.fig.scatter_title": (
        "(a) Scatter-add, output channel {o}: each INPUT cell adds value × kernel to the canvas",
        "(a) 分散相加，输出通道 {o}：每个输入格把“数值 × 卷积核”加到画布上",
    ),
    "conv.fig.t_input": ("INPUT {c} (small map)", "输入 {c}（小图）"),
    "conv.fig.t_kernel": ("kernel [{c}, {o}]", "卷积核 [{c}, {o}]"),
    "conv.fig.canvas": ("canvas before cropping {p}", "裁剪 {p} 格之前的画布"),
    "conv.fig.t_output": ("OUTPUT {o} (large map)", "输出 {o}（大图）"),
    "conv.fig.t_output_bias": ("OUTPUT {o} (large map, + bias {b})", "输出 {o}（大图，+ 偏置 {b}）"),
    "conv.fig.scatter_step": (
        "input[{i}, {j}] → adds {terms} into rows {r0}–{r1}, cols {c0}–{c1}",
        "输入[{i}, {j}] → 把 {terms} 加到第 {r0}–{r1} 行、第 {c0}–{c1} 列",
    ),
    "conv.fig.zero_insert_title": (
        "(b) Zeros inserted, padded, kernel turned 180°: an ordinary convolution (output channel {o})",
        "(b) 插入 0、填充、卷积核旋转 180°：一次普通卷积（输出通道 {o}）",
    ),
    "conv.fig.matrix_title": ("(c) The matrix view: y = Cᵀ·x", "(c) 矩阵视角：y = Cᵀ·x"),
    "conv.fig.matrix_c": ("C ({rows}×{cols})", "C（{rows}×{cols}）"),
    "conv.fig.matrix_ct": ("Cᵀ ({cols}×{rows})", "Cᵀ（{cols}×{rows}）"),
    "conv.fig.x_vec": ("x (INPUT, {n})", "x（输入，{n}）"),
    "conv.fig.y_vec": ("y = Cᵀx (OUTPUT, {n})", "y = Cᵀx（输出，{n}）"),
    "conv.fig.matrix_note": (
        "C is the ordinary convolution from the OUTPUT's size {ho}×{wo} back to the INPUT's size {h}×{w}. "
        "The transposed convolution multiplies by Cᵀ: x is the INPUT read row by row, y = Cᵀx is the OUTPUT "
        "read row by row (reshape it to {ho}×{wo}).",
        "C 是从输出尺寸 {ho}×{wo} 映射回输入尺寸 {h}×{w} 的普通卷积。转置卷积乘的是 Cᵀ：x 是按行展平的输入，"
        "y = Cᵀx 是按行展平的输出（把它重排成 {ho}×{wo} 即可）。",
    ),
    "conv.fig.matrix_block": (
        "Only the block input channel 0 → output channel 0 is shown (the full C is {rows}×{cols}); y here is "
        "input 0's share of output 0.",
        "这里只显示输入通道 0 → 输出通道 0 这一块（完整的 C 是 {rows}×{cols}）；此处的 y 是输入 0 对输出 0 的贡献。",
    ),
    "conv.fig.cost_title": (
        "Depthwise separable ÷ standard = {sep}/{std} ≈ {ratio:.2f} = 1/{c_out} + 1/{k2} (weights, without bias)",
        "深度可分离 ÷ 标准 = {sep}/{std} ≈ {ratio:.2f} = 1/{c_out} + 1/{k2}（权重个数，不计偏置）",
    ),
    "conv.fig.cost_params": ("Parameters", "参数量"),
    "conv.fig.cost_macs": ("Multiply-adds", "乘加次数"),
    "conv.fig.standard": ("standard {k}×{k} convolution", "标准 {k}×{k} 卷积"),
    "conv.fig.depthwise": ("depthwise {k}×{k}", "逐通道（depthwise）{k}×{k}"),
    "conv.fig.pointwise": ("pointwise 1×1", "逐点（pointwise）1×1"),
    "conv.fig.standard_short": ("standard", "标准卷积"),
    "conv.fig.separable_short": ("depthwise + pointwise", "逐通道 + 逐点"),
    # --- errors ---------------------------------------------------------------------------------------
    "conv.err.kernel_too_big": (
        "The kernel ({kh}×{kw} with dilation {d} covers {eh}×{ew}) is larger than the padded input ({ph}×{pw}). "
        "Use a smaller kernel, less dilation or more padding.",
        "卷积核（{kh}×{kw}，膨胀率 {d}，覆盖 {eh}×{ew}）比填充后的输入（{ph}×{pw}）还大。"
        "请用更小的卷积核、更小的膨胀率或更多的填充。",
    ),
    "conv.err.too_many_frames": (
        "The output would have {h}×{w} = {count} cells; the animation shows at most {limit}. Use a smaller "
        "input, a larger stride or less padding.",
        "输出将有 {h}×{w} = {count} 个格子，而动画最多显示 {limit} 个。请用更小的输入、更大的步幅或更少的填充。",
    ),
    "conv.err.groups": (
        "Groups ({groups}) must divide both the input channels ({c_in}) and the output channels ({c_out}). "
        "Choose groups = 1, or a number that divides both.",
        "分组数（{groups}）必须能同时整除输入通道数（{c_in}）和输出通道数（{c_out}）。请把分组数设为 1，"
        "或同时能整除两者的数。",
    ),
    "conv.err.input_dims": (
        "The input has shape {shape}; it must be (channels, height, width), or one height × width matrix.",
        "输入的形状是 {shape}；它必须是（通道数, 高, 宽），或者一个“高 × 宽”的矩阵。",
    ),
    "conv.err.weight_dims": (
        "The kernel has shape {shape}; it must be {layout}, or one k×k matrix.",
        "卷积核的形状是 {shape}；它必须是{layout}，或者一个 k×k 矩阵。",
    ),
    "conv.err.weight_channels": (
        "The kernel has {got} input channel(s) per output channel, but an input with {c_in} channel(s) in "
        "{groups} group(s) needs {want}. Give each output channel {want} kernel slice(s).",
        "卷积核每个输出通道有 {got} 个输入通道，但 {c_in} 个输入通道分成 {groups} 组时需要 {want} 个。"
        "请为每个输出通道提供 {want} 片卷积核。",
    ),
    "conv.err.bias_count": (
        "The bias has {got} number(s) but there are {want} output channel(s). Give one number per output channel.",
        "偏置有 {got} 个数，但输出通道有 {want} 个。请为每个输出通道给一个数。",
    ),
    "conv.err.kernel_blocks": (
        "The kernel needs {want} matrices ({first} output channel(s) × {second} input channel(s) per group), "
        "separated by empty lines; you typed {got}.",
        "卷积核需要 {want} 个矩阵（{first} 个输出通道 × 每组 {second} 个输入通道），矩阵之间空一行；"
        "你输入了 {got} 个。",
    ),
    "conv.err.transposed_kernel_blocks": (
        "The kernel needs {want} matrices ({first} input channel(s) × {second} output channel(s)), separated by "
        "empty lines; you typed {got}.",
        "卷积核需要 {want} 个矩阵（{first} 个输入通道 × {second} 个输出通道），矩阵之间空一行；你输入了 {got} 个。",
    ),
    "conv.err.transposed_channels": (
        "A transposed convolution's kernel is stored as (input channels, output channels, k, k): its first size "
        "({got}) must equal the input's {c_in} channel(s).",
        "转置卷积的卷积核按（输入通道数, 输出通道数, k, k）存放：它的第一维（{got}）必须等于输入的通道数 {c_in}。",
    ),
    "conv.err.pool_kind": (
        "'{kind}' is not a pooling kind. Choose max or average pooling.",
        "“{kind}”不是一种池化方式。请选择最大池化或平均池化。",
    ),
    "conv.err.avg_dilation": (
        "Average pooling has no dilation in PyTorch (got {d}). Set dilation to 1, or choose max pooling.",
        "PyTorch 的平均池化没有膨胀率（当前为 {d}）。请把膨胀率设为 1，或者改用最大池化。",
    ),
    "conv.err.pool_padding": (
        "Padding {p} is more than half the window ({k} // 2 = {half}). PyTorch allows at most half, so that every "
        "window still covers real input cells. Use less padding or a larger window.",
        "填充 {p} 超过了窗口大小的一半（{k} // 2 = {half}）。PyTorch 最多允许一半，"
        "这样每个窗口都还能覆盖到真实的输入格。请减少填充或加大窗口。",
    ),
    "conv.err.output_padding": (
        "Output padding {op} is too large: PyTorch needs it smaller than the stride ({s}) or the dilation ({d}), "
        "so use at most {limit}. It only chooses among the output sizes that the matching stride-{s} convolution "
        "would shrink back to the same input size.",
        "输出填充 {op} 太大了：PyTorch 要求它小于步幅（{s}）或膨胀率（{d}），所以最多只能取 {limit}。"
        "它只是在几种输出尺寸之间做选择——对应的步幅为 {s} 的卷积会把这几种尺寸都缩回同一个输入尺寸。",
    ),
    "conv.err.transposed_empty": (
        "With padding {p} the output would be {h}×{w}: cropping {p} from every side leaves nothing. Use less padding.",
        "填充为 {p} 时输出将是 {h}×{w}：从四周各裁掉 {p} 格后什么也不剩了。请减少填充。",
    ),
}
