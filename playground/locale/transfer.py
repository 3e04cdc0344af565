"""Strings of the Transfer learning tab (primer §10)."""

STRINGS: dict[str, tuple[str, str]] = {
    "xfer.tab": ("§10 · Transfer learning", "§10 · 迁移学习"),
    "xfer.intro": (
        "**Primer §10.** Three common ways to reuse a trained network, raced on the same new task with the same "
        "budget: **① load the weights and train all parameters**; **② load the weights and train only the last "
        "layers** (here: the last two layers with weights, everything before them frozen); **③ load the weights, "
        "add one fully connected layer on top of the original network and train only that layer** (the primer's "
        "*fine-tune*). Taken literally, as here, the new layer reads the frozen network's 10 class scores and maps "
        "them to the target classes; many tutorials instead *replace* the last layer, which is close to ② with one "
        "layer. The baseline trains the same architecture **from scratch**.\n\n"
        "*Source:* a bundled network trained on 4,000 digits drawn as solid strokes on smooth colour gradients. "
        "*Target:* the same handwriting drawn as **hollow outlines on striped paper** — same ten labels, a real "
        "change of appearance that ships offline. You get only a few labelled target pictures per digit; 1,000 "
        "held-out digits drawn the new way measure each strategy. LeNet, untouched, recognises about half of "
        "them (DenseNet and ResNet fewer than one in five): there is something to transfer, and plenty left to learn.",
        "**入门 §10。** 复用已训练网络的三种常见方式，在同一个新任务、同样的训练预算下比一比："
        "**① 载入权重后训练所有参数**；**② 载入权重后只训练最后几层参数**（这里：最后两个带权重的层，之前的全部冻结）；"
        "**③ 载入权重后在原网络基础上再添加一层全连接层，仅训练这一层**（入门所说的 *微调 Fine-Tune*）。"
        "这里按字面理解：新层读取冻结网络输出的 10 个类别得分，把它们映射到目标类别；很多教程则是 *替换* 最后一层，"
        "那与只训练一层的 ② 很接近。基线是 **从零开始** 训练同一结构。\n\n*源任务：* 项目自带的网络，"
        "在 4,000 张以实心笔画画在平滑渐变色背景上的数字上训练。*目标任务：* 同样的笔迹，"
        "改画成**条纹纸上的空心轮廓**——十个标签不变，外观却真的变了，而且无需联网。每个数字只有少量带标签的目标图片；"
        "用 1,000 张以新方式绘制的留出数字评估每种方式。未经改动的 LeNet 大约能认出一半"
        "（DenseNet 和 ResNet 不到五分之一）：既有可迁移的知识，也有很多要学的新东西。",
    ),
    "xfer.try": (
        "**Try:** 2 pictures per digit — scratch learns nothing, ① climbs and then overfits, ② holds · learning rate "
        "0.01 — ① ends below where it started (it forgets), while ② and ③ reach about 60% · 100 pictures per digit "
        "with learning rate 0.001 — scratch overtakes ② and ③, ① stays ahead · ResNet or DenseNet, whose frozen "
        "BatchNorm layers stay in eval mode (their running statistics never move).",
        "**试试：** 每个数字 2 张图片——从零训练什么也学不到，① 先升后因过拟合回落，"
        "② 保持稳定 · 学习率 0.01——① 结束时比开始时还差（它遗忘了），而 ② 和 ③ 达到约 60% · 每个数字 100 张、"
        "学习率 0.001——从零训练超过 ② 和 ③，① 仍然领先 · ResNet 或 DenseNet，它们被冻结的 BatchNorm 层保持 eval 模式"
        "（运行统计量不会变）。",
    ),
    "xfer.network": ("Source network (bundled weights)", "源网络（内置权重）"),
    "xfer.network.info": (
        "torchvision's ImageNet networks are not offered: they expect 224-pixel photos, and four runs of them on "
        "these 32-pixel digits would take many minutes on a CPU.",
        "这里不提供 torchvision 的 ImageNet 网络：它们需要 224 像素的照片，"
        "在 CPU 上用这些 32 像素的数字训练四遍要很多分钟。",
    ),
    "xfer.per_class": ("Labelled target pictures per digit", "每个数字的带标签目标图片数"),
    "xfer.per_class.info": ("Few labels is where transfer helps most.", "标签越少，迁移学习越有用。"),
    "xfer.epochs": ("Epochs (the same for all four)", "训练轮数（四种方式相同）"),
    "xfer.lr": ("Learning rate (Adam, the same for all four)", "学习率（Adam，四种方式相同）"),
    "xfer.seed": ("Random seed", "随机种子"),
    "xfer.seed.info": ("Picks the labelled pictures and every random start.",
                       "决定选哪些带标签的图片，以及所有随机初始化。"),
    "xfer.start": ("▶ Compare the four", "▶ 比较四种方式"),
    "xfer.stop": ("■ Stop", "■ 停止"),
    "xfer.examples_md": (
        "The first labelled picture of each digit for this seed: drawn the source way (what the network learned "
        "from) and the target way (what it must now recognise).",
        "此种子下每个数字的第一张带标签图片：按源任务的方式绘制（网络学过的样子）和按目标任务的方式绘制"
        "（它现在要认的样子）。",
    ),
    "xfer.strategy.all": ("① all layers", "① 训练所有层"),
    "xfer.strategy.last": ("② last layers", "② 只训练最后几层"),
    "xfer.strategy.head": ("③ new FC layer on top", "③ 顶部新加全连接层"),
    "xfer.strategy.scratch": ("from scratch", "从零开始"),
    "xfer.status.waiting": ("Drawing the target pictures and loading four copies of the network…",
                            "正在绘制目标图片并载入四份网络……"),
    "xfer.status.running": (
        "**{name}** · epoch {epoch} of {epochs} · {per_class} labelled pictures per digit · best so far: {best} "
        "({acc}) · on {device}",
        "**{name}** · 第 {epoch}/{epochs} 轮 · 每个数字 {per_class} 张带标签图片 · 目前最好：{best}（{acc}）"
        "· 设备 {device}",
    ),
    "xfer.status.done": (
        "✅ {epochs} epoch(s) of each strategy in {seconds} s. Best on the 1,000 held-out target pictures: "
        "**{best}** ({acc}); from scratch: {scratch}.",
        "✅ 每种方式训练了 {epochs} 轮，共用时 {seconds} 秒。在 1,000 张留出目标图片上最好的是 **{best}**（{acc}）；"
        "从零开始：{scratch}。",
    ),
    "xfer.status.time_up": (
        "■ Stopped after {minutes} minutes, the time one comparison may take on this shared server; the table "
        "compares the four after the {epochs} epoch(s) all of them completed. Fewer pictures or epochs finish sooner.",
        "■ 已在 {minutes} 分钟后停止（这是共享服务器上一次比较的时长上限）；"
        "表格比较的是四种方式都完成的 {epochs} 轮之后的结果。减少图片或轮数会更快完成。",
    ),
    "xfer.status.stopped": (
        "■ Stopped. The curves keep every epoch each strategy finished; the table compares the four after the "
        "{epochs} epoch(s) all of them completed.",
        "■ 已停止。曲线保留了每种方式已完成的每一轮；表格比较的是四种方式都完成的 {epochs} 轮之后的结果。",
    ),
    "xfer.status.diverged": (
        "⚠️ The loss of {strategies} became NaN or infinite: the learning rate {lr} is too large for them. Lower it.",
        "⚠️ {strategies} 的损失变成了 NaN 或无穷大：学习率 {lr} 对它们来说太大了。请调小它。",
    ),
    "xfer.progress": ("Comparing four ways to transfer {name}", "正在比较迁移 {name} 的四种方式"),
    "xfer.fig.curves": ("{name} → outline digits, {per_class} labelled per digit: accuracy on 1,000 held-out targets",
                        "{name} → 轮廓数字，每个数字 {per_class} 张带标签：1,000 张留出目标图片上的准确率"),
    "xfer.fig.acc_hover": ("epoch %{{x}}: %{{y:.1%}}", "第 %{{x}} 轮：%{{y:.1%}}"),
    "xfer.fig.loss_hover": ("epoch %{{x}}: loss %{{y:.3f}}", "第 %{{x}} 轮：损失 %{{y:.3f}}"),
    "xfer.fig.epoch": ("epoch (0 = before training)", "轮次（0 = 训练前）"),
    "xfer.fig.loss_epoch": ("epoch", "轮次"),
    "xfer.fig.accuracy": ("held-out accuracy", "留出准确率"),
    "xfer.fig.loss": ("training loss", "训练损失"),
    "xfer.fig.chance": ("chance: 10%", "随机猜测：10%"),
    "xfer.fig.examples": ("Same handwriting, two ways of drawing it", "同样的笔迹，两种画法"),
    "xfer.fig.digit": ("digit", "数字"),
    "xfer.fig.source_row": ("source:<br>strokes on gradients", "源：<br>渐变背景上的笔画"),
    "xfer.fig.target_row": ("target:<br>outlines on stripes", "目标：<br>条纹上的轮廓"),
    "xfer.table.empty": ("The table appears when the comparison starts.", "开始比较后这里会显示表格。"),
    "xfer.table.strategy": ("Strategy", "方式"),
    "xfer.table.layers": ("Layers that learn", "参与训练的层"),
    "xfer.table.trainable": ("Trainable parameters", "可训练参数"),
    "xfer.table.frozen": ("Frozen parameters", "冻结参数"),
    "xfer.table.before": ("Accuracy before", "训练前准确率"),
    "xfer.table.after": ("After {epochs} epoch(s)", "{epochs} 轮后"),
    "xfer.table.seconds": ("Seconds per epoch", "每轮秒数"),
    "xfer.table.every_layer": ("every layer", "所有层"),
    "xfer.table.new_head": ("new fc: 10 scores → 10 digits", "新的全连接层：10 个得分 → 10 个数字"),
    "xfer.err.strategy": ("Unknown strategy '{strategy}'. Choose one of: {choices}.",
                          "未知的迁移方式“{strategy}”。请从以下选择：{choices}。"),
    "xfer.err.network": ("'{name}' cannot be used here: choose one of the digit classifiers {choices}.",
                         "这里不能使用“{name}”：请从以下数字分类网络中选择：{choices}。"),
}
