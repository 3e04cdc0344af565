"""Strings of the MLP playground tab."""

from playground.limits import MAX_MLP_HIDDEN_LAYERS

STRINGS: dict[str, tuple[str, str]] = {
    "mlp.tab": ("§1 · MLP playground", "§1 · 多层感知机游乐场"),
    "mlp.intro": (
        "A small multi-layer perceptron (primer §1: $H = f(XW_1 + b_1)$, …, one output per class, softmax and "
        "cross-entropy) learns to separate points in the plane, one mini-batch at a time, live in PyTorch. "
        "Press **Play** and watch the decision map. Try **XOR** with the activation **none** in every layer: "
        "however deep, the network stays one linear map and its boundary a straight line. Switch to **tanh** and "
        "it bends. Or keep *none* and tick the input feature **x·y**.",
        "一个小小的多层感知机（入门文章第 1 节：$H = f(XW_1 + b_1)$，……，每个类别一个输出，再经 softmax 与交叉熵）"
        "在 PyTorch 中实时地、一个小批量接一个小批量地学习如何分开平面上的点。按 **播放**，观察决策图的变化。"
        "试试 **XOR**，并把每一层的激活函数都设为 **none**：无论多深，网络仍然只是一个线性映射，边界始终是一条直线。"
        "换成 **tanh**，边界就弯了。或者保留 *none*，勾选输入特征 **x·y**。",
    ),
    # data
    "mlp.data": ("Data", "数据"),
    "mlp.dataset": ("Data set", "数据集"),
    "mlp.dataset.circles": ("Circles", "同心圆"),
    "mlp.dataset.xor": ("XOR", "异或 XOR"),
    "mlp.dataset.blobs": ("Gaussian blobs", "高斯团"),
    "mlp.dataset.spiral": ("Spiral", "螺旋"),
    "mlp.dataset.moons": ("Moons", "双月"),
    "mlp.dataset.csv": ("My CSV", "我的 CSV"),
    "mlp.csv": ("⬆ Upload your points (CSV)", "⬆ 上传你的点（CSV）"),
    "mlp.download": ("⬇ These points as CSV", "⬇ 下载这些点（CSV）"),
    "mlp.points": ("Number of points", "点的数量"),
    "mlp.noise": ("Noise", "噪声"),
    "mlp.classes": ("Classes", "类别数"),
    "mlp.train_ratio": ("Train share", "训练集比例"),
    "mlp.train_ratio.info": ("The rest is the test set, never trained on.", "其余的点是测试集，从不参与训练。"),
    "mlp.seed": ("Seed", "随机种子"),
    "mlp.seed.info": ("Points, split, initial weights, batch order.", "决定点、划分、初始权重与批次顺序。"),
    # network
    "mlp.network": ("Network and training", "网络与训练"),
    "mlp.features": ("Input features", "输入特征"),
    "mlp.features.info": (
        "What the first layer sees, computed from the coordinates scaled to [-6, 6].",
        "第一层看到的输入，由缩放到 [-6, 6] 的坐标算出。",
    ),
    "mlp.layers": ("Hidden layers", "隐藏层数"),
    "mlp.width": ("Neurons in a hidden layer", "隐藏层的神经元数"),
    **{f"mlp.width.{i}": (f"Layer {i}: neurons", f"第 {i} 层：神经元") for i in range(1, MAX_MLP_HIDDEN_LAYERS + 1)},
    "mlp.activation": ("activation", "激活函数"),
    "mlp.learning_rate": ("Learning rate", "学习率"),
    "mlp.batch_size": ("Batch size", "批量大小"),
    "mlp.optimizer": ("Optimizer", "优化器"),
    "mlp.optimizer.sgd": ("SGD", "随机梯度下降 SGD"),
    "mlp.optimizer.momentum": ("SGD + momentum 0.9", "SGD + 动量 0.9"),
    "mlp.optimizer.adam": ("Adam", "Adam 自适应"),
    "mlp.l2": ("L2 regularisation λ", "L2 正则化 λ"),
    "mlp.l2.info": ("Adds λ·Σw² (weights, not biases) to the training loss.",
                    "在训练损失上加 λ·Σw²（只含权重，不含偏置）。"),
    "mlp.step": ("Steps trained", "已训练步数"),
    # training controls
    "mlp.play": ("▶ Play", "▶ 播放"),
    "mlp.pause": ("⏸ Pause", "⏸ 暂停"),
    "mlp.step_button": ("⏭ Step", "⏭ 单步"),
    "mlp.reset": ("↺ Reset", "↺ 重置"),
    "mlp.steps": ("Steps per update", "每次更新的步数"),
    "mlp.steps.info": (
        "Mini-batch steps per Step press and between two pictures of Play.",
        "每按一次“单步”、以及播放时两帧之间训练的小批量步数。",
    ),
    # sharing
    "mlp.share": ("Share or restore this experiment", "分享或恢复这个实验"),
    "mlp.config": ("Experiment string", "实验字符串"),
    "mlp.config.info": (
        "Settings, seed and steps trained — the whole experiment. Paste one here and press Load.",
        "设置、种子与已训练的步数——就是整个实验。把字符串粘贴到这里，再按“载入”。",
    ),
    "mlp.load": ("Load this string", "载入这个字符串"),
    "mlp.link": ("🔗 [Link to this experiment]({link}) — share it or bookmark it",
                 "🔗 [这个实验的链接]({link})——可以分享或收藏"),
    "mlp.notes": (
        "**How it trains.** Each step takes the next mini-batch of train points (a fresh shuffle every pass), "
        "computes the cross-entropy of the softmax outputs (plus λ·Σw² when L2 is on), back-propagates and lets "
        "the optimizer update the weights. The curves show the cross-entropy on all train and all test points "
        "after every step.\n\n"
        "**Neuron maps.** Each small map is one hidden neuron's output over the same plane, blue positive and red "
        "negative, scaled to its own largest value (hover for the real value).\n\n"
        "**Your CSV.** One point per line, `x, y, label`; a header line is optional; commas, semicolons or tabs; "
        "labels may be numbers or names (2 to 6 classes, at most 2,000 points).",
        "**训练方式。** 每一步取下一批训练点（每轮重新打乱），计算 softmax 输出的交叉熵（开启 L2 时再加上 λ·Σw²），"
        "反向传播，再由优化器更新权重。曲线是每一步之后在全部训练点和全部测试点上的交叉熵。\n\n"
        "**神经元图。** 每张小图是一个隐藏神经元在同一平面上的输出，蓝色为正、红色为负，按它自己的最大值缩放"
        "（鼠标悬停可看真实数值）。\n\n"
        "**你的 CSV。** 每行一个点：`x, y, 标签`；表头可有可无；用逗号、分号或制表符分隔；标签可以是数字或名字"
        "（2 到 6 个类别，最多 2,000 个点）。",
    ),
    # what happened (status notes)
    "mlp.note.settings": ("Settings changed: a new experiment from step 0.", "设置已更改：从第 0 步开始一个新实验。"),
    "mlp.note.playing": ("▶ Playing… press Pause to stop.", "▶ 正在播放……按“暂停”停止。"),
    "mlp.note.paused": ("⏸ Paused.", "⏸ 已暂停。"),
    "mlp.note.play_limit": (
        "⏸ Paused after {limit} steps, the limit of one Play. Press Play to go on.",
        "⏸ 已训练 {limit} 步（一次播放的上限），自动暂停。按“播放”继续。",
    ),
    "mlp.note.reset": ("Reset to step 0 (seed {seed}: the same start as before).",
                       "已重置到第 0 步（种子 {seed}：与之前完全相同的起点）。"),
    "mlp.note.loaded": ("Experiment loaded and replayed to step {step}.", "实验已载入，并重放到第 {step} 步。"),
    "mlp.note.csv": ("Your file: {count} points in {classes} classes ({names}).",
                     "你的文件：{count} 个点，{classes} 个类别（{names}）。"),
    "mlp.note.bad_link": ("The link could not be opened: {error} The default experiment is shown instead.",
                          "无法打开这个链接：{error} 现在显示的是默认实验。"),
    "mlp.status.line": (
        "**Step {step}** · train loss {train_loss} · test loss {test_loss} · "
        "train accuracy {train_acc} · test accuracy {test_acc}",
        "**第 {step} 步** · 训练损失 {train_loss} · 测试损失 {test_loss} · "
        "训练准确率 {train_acc} · 测试准确率 {test_acc}",
    ),
    "mlp.status.diverged": (
        "⚠️ The loss is no longer a finite number: training diverged. Lower the learning rate ({lr}) and press Reset.",
        "⚠️ 损失已不再是有限数：训练发散了。请调低学习率（当前 {lr}），再按“重置”。",
    ),
    "mlp.status.limit": (
        "This experiment reached the limit of {limit} steps. Press Reset or change a setting to start again.",
        "这个实验已达到 {limit} 步的上限。请按“重置”或更改设置重新开始。",
    ),
    "mlp.status.collapse_line": (
        "Every activation is **none**: the whole network is one linear map (it equals a single `nn.Linear` "
        "up to {error}), so the decision boundary is a **straight line** — the primer's linear collapse.",
        "所有激活函数都是 **none**：整个网络就是一个线性映射（与单个 `nn.Linear` 的差别不超过 {error}），"
        "所以决策边界是一条**直线**——这就是入门文章所说的线性坍缩。",
    ),
    "mlp.status.collapse_features": (
        "Every activation is **none**: the network is one linear map of its input features (it equals a single "
        "`nn.Linear` up to {error}). The boundary bends in the plane only because features such as x² or sin x do.",
        "所有激活函数都是 **none**：网络只是输入特征的一个线性映射（与单个 `nn.Linear` 的差别不超过 {error}）。"
        "边界在平面上之所以弯曲，只是因为 x²、sin x 这样的特征本身是弯的。",
    ),
    "mlp.status.batch": (
        "The batch size {batch} is larger than the {count} train points: every step uses all of them.",
        "批量大小 {batch} 超过了训练点的数量 {count}：每一步都使用全部训练点。",
    ),
    # figures
    "mlp.fig.boundary": ("Decision map after step {step}", "第 {step} 步后的决策图"),
    "mlp.fig.class": ("class {name}", "类别 {name}"),
    "mlp.fig.prediction": ("prediction", "预测"),
    "mlp.fig.boundary_line": ("decision boundary", "决策边界"),
    "mlp.fig.train": ("train", "训练"),
    "mlp.fig.test": ("test", "测试"),
    "mlp.fig.legend": ("filled: train · outlined: test   ", "实心：训练 · 空心：测试   "),
    "mlp.fig.loss": ("Loss on all train and test points", "全部训练点与测试点上的损失"),
    "mlp.fig.train_loss": ("train loss", "训练损失"),
    "mlp.fig.test_loss": ("test loss", "测试损失"),
    "mlp.fig.loss_hover": ("step %{{x}}<br>loss %{{y:.4f}}<br>accuracy %{{customdata:.1%}}",
                           "第 %{{x}} 步<br>损失 %{{y:.4f}}<br>准确率 %{{customdata:.1%}}"),
    "mlp.fig.step": ("step", "步数"),
    "mlp.fig.cross_entropy": ("cross-entropy", "交叉熵"),
    "mlp.fig.neurons": ("Every hidden neuron over the plane", "每个隐藏神经元在平面上的输出"),
    "mlp.fig.no_hidden": (
        "No hidden layers: the network is softmax regression, one linear layer.",
        "没有隐藏层：网络就是 softmax 回归，只有一个线性层。",
    ),
    "mlp.fig.neuron_hover": ("output %{{customdata:.3f}}", "输出 %{{customdata:.3f}}"),
    "mlp.fig.layer": ("layer {layer} ({activation})", "第 {layer} 层（{activation}）"),
    "mlp.fig.more_neurons": ("· {shown} of {width} shown", "· 显示 {width} 个中的 {shown} 个"),
    "mlp.fig.neuron": ("neuron", "神经元"),
    # errors: the learner's CSV
    "mlp.err.csv_no_file": (
        "Upload a CSV file of your points first (one point per line: x, y, label).",
        "请先上传你的点的 CSV 文件（每行一个点：x, y, 标签）。",
    ),
    "mlp.err.csv_empty": (
        "The file has no points. Put one point per line: x, y, label (for example 1.5, -2, 0).",
        "文件里没有点。请每行写一个点：x, y, 标签（例如 1.5, -2, 0）。",
    ),
    "mlp.err.csv_too_big": (
        "The file has {size} bytes, more than the limit of {limit}. Keep at most {points} points.",
        "文件有 {size} 字节，超过了上限 {limit} 字节。请最多保留 {points} 个点。",
    ),
    "mlp.err.csv_not_text": (
        "The file is not UTF-8 text. Save it as CSV (x, y, label on every line) and upload it again.",
        "这个文件不是 UTF-8 文本。请把它另存为 CSV（每行 x, y, 标签）后重新上传。",
    ),
    "mlp.err.csv_columns": (
        "Line {line} has {count} values; every line needs exactly 3: x, y, label.",
        "第 {line} 行有 {count} 个值；每行必须正好 3 个：x, y, 标签。",
    ),
    "mlp.err.csv_not_number": (
        "Line {line}: '{token}' is not a number. x and y must be numbers (with a point for decimals, or a comma "
        "when values are separated by semicolons).",
        "第 {line} 行：“{token}”不是数字。x 和 y 必须是数字（小数用小数点；若用分号分隔各值，也可用逗号）。",
    ),
    "mlp.err.csv_not_finite": (
        "Line {line}: '{token}' is not a finite number. Remove the points with NaN or infinite coordinates.",
        "第 {line} 行：“{token}”不是有限数。请删除坐标为 NaN 或无穷大的点。",
    ),
    "mlp.err.csv_too_large_value": (
        "Line {line}: {token} is too large; coordinates must lie within ±{limit}. Rescale your data.",
        "第 {line} 行：{token} 太大了；坐标必须在 ±{limit} 以内。请先缩放你的数据。",
    ),
    "mlp.err.csv_missing_label": (
        "Line {line} has no label. Give every point its class in the third column.",
        "第 {line} 行没有标签。请在第三列写上每个点的类别。",
    ),
    "mlp.err.csv_bad_label": (
        "Line {line}: the label '{label}' is longer than {limit} characters or holds control characters. "
        "Use short class names.",
        "第 {line} 行：标签“{label}”超过 {limit} 个字符或含有控制字符。请使用简短的类别名。",
    ),
    "mlp.err.csv_too_many_points": (
        "The file has more than {limit} points. Keep at most {limit} (for example a random sample).",
        "文件中的点超过了 {limit} 个。请最多保留 {limit} 个（例如随机抽样）。",
    ),
    "mlp.err.csv_too_few_points": (
        "The file has only {count} points; at least {limit} are needed.",
        "文件中只有 {count} 个点；至少需要 {limit} 个。",
    ),
    "mlp.err.csv_too_many_classes": (
        "The file has {count} different labels ({some}, …); at most {limit} classes are supported. "
        "Merge or remove some classes.",
        "文件中有 {count} 种不同的标签（{some}，……）；最多支持 {limit} 个类别。请合并或删除一些类别。",
    ),
    "mlp.err.csv_one_class": (
        "Every point has the label '{label}'; a classifier needs at least 2 different labels.",
        "所有点的标签都是“{label}”；分类至少需要 2 种不同的标签。",
    ),
    # errors: settings and experiment strings
    "mlp.err.dataset": ("'{name}' is not a data set here. Choose one of: {choices}.",
                        "这里没有数据集“{name}”。请从以下选择：{choices}。"),
    "mlp.err.two_classes_only": (
        "The {dataset} data set has exactly 2 classes. Set the classes to 2, or choose circles, blobs or spiral.",
        "数据集 {dataset} 只有 2 个类别。请把类别数设为 2，或选择同心圆、高斯团或螺旋。",
    ),
    "mlp.err.feature": ("'{name}' is not an input feature. Choose from: {choices}.",
                        "“{name}”不是输入特征。请从以下选择：{choices}。"),
    "mlp.err.no_features": (
        "Tick at least one input feature (x and y are the usual ones).",
        "请至少勾选一个输入特征（通常是 x 和 y）。",
    ),
    "mlp.err.too_many_layers": ("{count} hidden layers is more than the limit of {limit}. Remove some.",
                                "{count} 个隐藏层超过了上限 {limit} 个。请删去一些。"),
    "mlp.err.activation_count": (
        "{layers} hidden layer(s) need {layers} activation(s), one each, but {count} were given.",
        "{layers} 个隐藏层需要 {layers} 个激活函数（每层一个），但给出了 {count} 个。",
    ),
    "mlp.err.activation": ("'{name}' is not an activation here. Choose one of: {choices}.",
                           "这里没有激活函数“{name}”。请从以下选择：{choices}。"),
    "mlp.err.optimizer": ("'{name}' is not an optimizer here. Choose one of: {choices}.",
                          "这里没有优化器“{name}”。请从以下选择：{choices}。"),
    "mlp.err.not_a_list": ("'{name}' must be a list, for example [4, 2].", "“{name}”必须是一个列表，例如 [4, 2]。"),
    "mlp.err.config_empty": (
        "Paste an experiment string (it starts with mlp1.) or a link with ?mlp=, then press Load.",
        "请粘贴一个实验字符串（以 mlp1. 开头）或带 ?mlp= 的链接，再按“载入”。",
    ),
    "mlp.err.config_too_long": (
        "The text has {count} characters, more than an experiment string can have ({limit}). Paste only the string.",
        "这段文本有 {count} 个字符，超过了实验字符串的最大长度（{limit}）。请只粘贴实验字符串。",
    ),
    "mlp.err.config_garbage": (
        "This is not an experiment string. Copy the whole string from the box (it starts with mlp1.) or the whole "
        "link, and paste it again.",
        "这不是实验字符串。请从文本框中复制完整的字符串（以 mlp1. 开头）或完整的链接，再粘贴一次。",
    ),
    "mlp.err.config_unknown": (
        "The experiment string has a setting '{name}' that this playground does not know. Check its spelling.",
        "实验字符串中有本游乐场不认识的设置“{name}”。请检查拼写。",
    ),
    "mlp.err.config_csv": (
        "The points stored in this experiment string are damaged. Upload the CSV file again.",
        "这个实验字符串中保存的点已损坏。请重新上传 CSV 文件。",
    ),
}
