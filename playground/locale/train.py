"""Strings of the training-loop tab (primer §1, §3)."""

STRINGS: dict[str, tuple[str, str]] = {
    "train.tab": ("§1 · Training loop", "§1 · 训练循环"),
    "train.intro": (
        "**Primer §1 and §3.** The primer's loop, running live: for each mini-batch, *zero the gradients → "
        "forward → loss → backward → step*, with Adam and cross-entropy, on 4,000 bundled handwritten digits "
        "painted in random colours (new colours every epoch). After every epoch the network is tested on "
        "1,000 held-out digits it never trains on. Pick a network, press **Start**, watch the curves; "
        "**Stop** ends the run at the next mini-batch.",
        "**入门 §1 与 §3。** 入门中的训练循环，实时运行：对每个小批量依次 *梯度清零 → 前向传播 → 计算损失 → 反向传播 → "
        "更新参数*，使用 Adam 和交叉熵，数据是项目自带的 4,000 张手写数字，以随机颜色绘制（每轮换新颜色）。每轮结束后，"
        "网络在从未训练过的 1,000 张留出数字上测试。选一个网络，点 **开始**，观察曲线；"
        "**停止** 会在下一个小批量时结束训练。",
    ),
    "train.arch": ("Network (trained from scratch)", "网络（从零开始训练）"),
    "train.arch.info": ("The same definitions the other tabs use (playground/models).",
                        "与其他标签页使用的定义相同（playground/models）。"),
    "train.optimizer": ("Optimizer", "优化器"),
    "train.optimizer.adam": ("Adam (the primer's)", "Adam（入门所用）"),
    "train.optimizer.sgd": ("SGD with momentum 0.9", "SGD（动量 0.9）"),
    "train.lr": ("Learning rate", "学习率"),
    "train.lr.info": ("The primer uses 0.001 with Adam; try 0.1 to see training fall apart.",
                      "入门在 Adam 下使用 0.001；试试 0.1，看训练如何崩溃。"),
    "train.batch_size": ("Batch size", "批量大小"),
    "train.batch_size.info": ("Images per step; the primer uses 36.", "每一步的图片数；入门使用 36。"),
    "train.epochs": ("Epochs", "训练轮数"),
    "train.epochs.info": ("Passes over the 4,000 training digits (at most 30).",
                          "遍历 4,000 张训练数字的次数（最多 30）。"),
    "train.seed": ("Random seed", "随机种子"),
    "train.seed.info": ("Same seed, same settings: the same run again.",
                        "种子和设置都相同，就会得到完全相同的训练过程。"),
    "train.start": ("▶ Start training", "▶ 开始训练"),
    "train.stop": ("■ Stop", "■ 停止"),
    "train.results": ("After training", "训练之后"),
    "train.results.md": (
        "The **confusion matrix** counts, for each true digit (row), what the network answered (column). "
        "The gallery shows its most confident mistakes on the held-out digits. Download the weights as "
        "safetensors; they also stay available in this browser session as *your trained model*.",
        "**混淆矩阵** 统计每个真实数字（行）被网络判成了什么（列）。下方展示它在留出数字上最有把握的错误。"
        "可以把权重下载为 safetensors 文件；在本次浏览器会话中，它也会作为 *你训练的模型* 保留。",
    ),
    "train.confusion": ("Confusion matrix", "混淆矩阵"),
    "train.mistakes": ("Most confident mistakes (true digit → answer, confidence)",
                       "最有把握的错误（真实数字 → 回答，置信度）"),
    "train.download": ("Trained weights (safetensors)", "训练好的权重（safetensors）"),
    "train.status.waiting": ("Preparing the data and the network…", "正在准备数据和网络……"),
    "train.status.running": (
        "**{name}** · epoch {epoch}/{epochs} · loss {loss} · held-out accuracy {acc} · {speed} images/s on {device}",
        "**{name}** · 第 {epoch}/{epochs} 轮 · 损失 {loss} · 留出准确率 {acc} · 每秒 {speed} 张（{device}）",
    ),
    "train.status.done": (
        "✅ **{name}** trained: {epochs} epoch(s) in {seconds} s, held-out accuracy **{acc}**. "
        "It is now *your trained model* for this session.",
        "✅ **{name}** 训练了 {epochs} 轮，用时 {seconds} 秒：留出准确率 **{acc}**。"
        "它现在是本次会话中 *你训练的模型*。",
    ),
    "train.status.time_up": (
        "■ Stopped after {minutes} minutes, the time one run may take on this shared server, with {epochs} complete "
        "epoch(s). Held-out accuracy of the network as it stands: **{acc}**. Fewer epochs or a larger batch finish "
        "sooner.",
        "■ 已在 {minutes} 分钟后停止（这是共享服务器上一次训练的时长上限），完成了 {epochs} 轮。"
        "网络当前的留出准确率：**{acc}**。减少轮数或加大批量会更快完成。",
    ),
    "train.status.stopped": (
        "■ Stopped after {epochs} complete epoch(s). Held-out accuracy of the network as it stands: **{acc}**.",
        "■ 已在完成 {epochs} 轮后停止。网络当前的留出准确率：**{acc}**。",
    ),
    "train.status.learnt_nothing": (
        "⚠️ **{name}** trained {epochs} epoch(s) but learnt nothing: held-out accuracy **{acc}**, what guessing "
        "gives (10 digits: 10 %); it answers {digit} for {share} of the pictures. {why}",
        "⚠️ **{name}** 训练了 {epochs} 轮，却什么也没学会：留出准确率 **{acc}**，与瞎猜相当（10 个数字：10 %）；"
        "它对 {share} 的图片都回答 {digit}。{why}",
    ),
    "train.why.too_large": (
        "Learning rate {lr} is too large for {optimizer}: its steps threw the weights where every picture looks "
        "alike. Lower it (0.01 for SGD, 0.001 for Adam) and train again.",
        "对 {optimizer} 来说，学习率 {lr} 太大：它的步子把权重扔到了让所有图片看起来都一样的地方。"
        "请调小它（SGD 用 0.01，Adam 用 0.001）再训练。",
    ),
    "train.why.too_small": (
        "Learning rate {lr} moves the weights too little in {epochs} epoch(s) for {optimizer}: raise it (0.01 for "
        "SGD, 0.001 for Adam) or train longer.",
        "对 {optimizer} 来说，学习率 {lr} 在 {epochs} 轮里让权重移动得太少：请调大它（SGD 用 0.01，Adam 用 0.001）"
        "或训练更久。",
    ),
    "train.status.diverged": (
        "⚠️ The loss became NaN or infinite: the learning rate {lr} is too large for this network. Lower it.",
        "⚠️ 损失变成了 NaN 或无穷大：学习率 {lr} 对这个网络来说太大了。请调小它。",
    ),
    "train.progress": ("Training {name}", "正在训练 {name}"),
    "train.mistake": ("{true}→{said} {p}", "{true}→{said} {p}"),
    "train.fig.curves": ("{name}: loss and accuracy while training", "{name}：训练中的损失与准确率"),
    "train.fig.train_loss": ("training loss (per 20 steps)", "训练损失（每 20 步）"),
    "train.fig.held_out_loss": ("held-out loss", "留出损失"),
    "train.fig.train_acc": ("training accuracy", "训练准确率"),
    "train.fig.held_out_acc": ("held-out accuracy", "留出准确率"),
    "train.fig.epoch": ("epoch", "轮次"),
    "train.fig.loss": ("cross-entropy loss", "交叉熵损失"),
    "train.fig.accuracy": ("accuracy", "准确率"),
    "train.fig.confusion": ("Held-out confusion matrix (accuracy {acc})", "留出集混淆矩阵（准确率 {acc}）"),
    "train.fig.confusion_hover": ("true %{{y}}, said %{{x}}: %{{customdata}} images",
                                  "真实 %{{y}}，判为 %{{x}}：%{{customdata}} 张"),
    "train.fig.predicted": ("predicted digit", "预测的数字"),
    "train.fig.true": ("true digit", "真实的数字"),
    "train.err.network": ("{name} cannot be trained here: choose one of the digit classifiers {choices}.",
                          "这里不能训练 {name}：请从数字分类网络 {choices} 中选一个。"),
    "train.err.optimizer": ("Unknown optimizer '{name}'. Choose one of: {choices}.",
                            "未知的优化器“{name}”。请从以下选择：{choices}。"),
}
