"""Strings of the recurrent-networks tab (RNN, GRU, LSTM on the learner's text)."""

STRINGS: dict[str, tuple[str, str]] = {
    # the three cells and their gates
    "rnn.kind.rnn": ("vanilla RNN", "普通循环神经网络 RNN"),
    "rnn.kind.gru": ("GRU (gated recurrent unit)", "门控循环单元 GRU"),
    "rnn.kind.lstm": ("LSTM (long short-term memory)", "长短期记忆网络 LSTM"),
    "rnn.gate.h": ("hidden state Hₜ", "隐状态 Hₜ"),
    "rnn.gate.c": ("memory cell Cₜ", "记忆元 Cₜ"),
    "rnn.gate.i": ("input gate Iₜ", "输入门 Iₜ"),
    "rnn.gate.f": ("forget gate Fₜ", "遗忘门 Fₜ"),
    "rnn.gate.g": ("candidate memory C̃ₜ", "候选记忆元 C̃ₜ"),
    "rnn.gate.o": ("output gate Oₜ", "输出门 Oₜ"),
    "rnn.gate.r": ("reset gate Rₜ", "重置门 Rₜ"),
    "rnn.gate.z": ("update gate Zₜ", "更新门 Zₜ"),
    "rnn.gate.n": ("candidate hidden state H̃ₜ", "候选隐状态 H̃ₜ"),
    # properties of the text the unit finder correlates units with
    "rnn.prop.inside_quotes": ("inside quotes", "在引号内"),
    "rnn.prop.inside_brackets": ("inside brackets", "在括号内"),
    "rnn.prop.bracket_depth": ("bracket depth", "括号嵌套深度"),
    "rnn.prop.position_in_line": ("position in the line", "在行内的位置"),
    "rnn.prop.after_space": ("after a space", "紧跟在空格之后"),
    "rnn.prop.constant": ("'{name}' does not change in this text, so no unit can follow it.",
                          "“{name}”在这段文字中没有变化，所以没有单元能跟随它。"),
    # controls
    "rnn.text": ("Your text", "你的文字"),
    "rnn.temperature": ("Temperature T", "温度 T"),
    "rnn.length": ("Characters to generate", "生成的字符数"),
    "rnn.seed": ("Random seed", "随机种子"),
    "rnn.top_k": ("Predictions shown per character", "每个字符显示的预测数"),
    # notes and errors
    "rnn.note.unknown": (
        "{count} character(s) are not in the model's vocabulary and were read as the unknown token �: {chars}.",
        "有 {count} 个字符不在模型的词表中，已按未知符号 � 读入：{chars}。"),
    "rnn.note.gradient_window": (
        "The gradient is followed back over the last {count} of the {total} characters.",
        "梯度只沿最后 {count} 个字符回传（全文共 {total} 个字符）。"),
    "rnn.err.empty": ("Type or paste some text first.", "请先输入或粘贴一些文字。"),
    "rnn.err.too_long": (
        "The text has {count} characters; the limit is {limit}. Shorten it.",
        "这段文字有 {count} 个字符，上限是 {limit} 个。请缩短。"),
    "rnn.err.all_unknown": (
        "None of the {count} character(s) is in the model's vocabulary (the letters, digits and punctuation of "
        "English text from Python's documentation), so there is nothing to read. Type some English text.",
        "这 {count} 个字符都不在模型的词表中（词表只有 Python 文档英文文本里的字母、数字和标点），"
        "模型无从读起。请输入一些英文。"),
    "rnn.err.too_short": (
        "The gradient flow needs at least 2 characters: the loss is measured on predicting the last one.",
        "梯度流至少需要 2 个字符：损失是在预测最后一个字符时计算的。"),
    # the tab
    "rnn.tab": ("§12 · Recurrent networks", "§12 · 循环神经网络"),
    "rnn.intro": (
        "**Primer §12.** Three character language models of the same size — a vanilla RNN "
        "(Hₜ = φ(XₜW_xh + Hₜ₋₁W_hh + b)), a GRU and an LSTM — trained here on Python's documentation to predict the "
        "next character. Type text and see what each unit of each layer does at every character: the hidden "
        "state, the LSTM's memory cell and its input/forget/output gates, the GRU's reset and update gates. "
        "Colour the text by one unit (hover a character for the model's guesses of the next one), find units that "
        "track quotes or brackets, and watch the gradient of the last character's loss fade as it flows back "
        "through time — fastest in the plain RNN (§7's vanishing gradient).",
        "**入门 §12。** 三个同样大小的字符级语言模型——普通 RNN（Hₜ = φ(XₜW_xh + Hₜ₋₁W_hh + b)）、GRU 和 LSTM——"
        "在 Python 文档上训练，用来预测下一个字符。输入文字，看每一层的每个单元在每个字符处做了什么：隐状态、"
        "LSTM 的记忆元和输入/遗忘/输出门、GRU 的重置门和更新门。可以用某个单元给文字上色（鼠标悬停在字符上可看到模型"
        "对下一个字符的猜测），寻找跟踪引号或括号的单元，并观察最后一个字符的损失梯度随时间反向传播而衰减——"
        "普通 RNN 衰减得最快（§7 的梯度消失）。",
    ),
    "rnn.model": ("Model", "模型"),
    "rnn.layer": ("Layer", "层"),
    "rnn.state": ("Show", "显示"),
    "rnn.unit": ("Unit coloring the text", "给文字上色的单元"),
    "rnn.unit.info": ("−1: the unit that best follows a property of the text", "−1：最能跟随文字某种性质的单元"),
    "rnn.run": ("Read my text", "读入我的文字"),
    "rnn.prompt": ("Start of the text to continue", "要续写的开头"),
    "rnn.sample": ("Continue", "续写"),
    "rnn.continuation": ("The model's continuation", "模型的续写"),
    "rnn.section.sample": ("Sampling: let the model write", "采样：让模型来写"),
    "rnn.default_text": (
        'The "print(x)" call writes x (and a newline) to the screen.',
        'The "print(x)" call writes x (and a newline) to the screen.',
    ),
    "rnn.fig.heatmap": ("{state} of layer {layer}, {kind}: every unit at every character",
                        "{kind} 第 {layer} 层的{state}：每个单元在每个字符处的值"),
    "rnn.fig.hover": ("character %{{x}}<br>unit %{{y}}<br>value %{{z:.3f}}",
                      "第 %{{x}} 个字符<br>单元 %{{y}}<br>数值 %{{z:.3f}}"),
    "rnn.fig.characters": ("characters read, in order", "按顺序读入的字符"),
    "rnn.fig.units": ("unit", "单元"),
    "rnn.fig.gradient": ("Gradient of the last character's loss, back through time: ‖∂L/∂Hₜ‖",
                         "最后一个字符的损失梯度沿时间反向传播：‖∂L/∂Hₜ‖"),
    "rnn.fig.layer": ("layer {layer}", "第 {layer} 层"),
    "rnn.fig.steps_back": ("steps back from the last character", "距最后一个字符的步数"),
    "rnn.fig.layer_col": ("layer", "层"),
    "rnn.gate_col": ("gate", "门"),
    "rnn.property_col": ("property of the text", "文字的性质"),
    "rnn.best_units": ("units that follow it best (Pearson r)", "最能跟随它的单元（皮尔逊 r）"),
    "rnn.saturation.none": ("A vanilla RNN has no gates.", "普通 RNN 没有门。"),
    "rnn.saturation.title": ("**Gate saturation**: how often each gate is nearly shut (< 0.1) or fully open (> 0.9)",
                             "**门的饱和度**：每个门几乎关闭（< 0.1）或完全打开（> 0.9）的时间比例"),
    "rnn.tip": ("value {value} · next: {guesses}", "数值 {value} · 下一个：{guesses}"),
    "rnn.caption": ("Background: unit {unit} of layer {layer} after reading each character (red > 0, blue < 0). "
                    "Hover a character for the model's guesses of the next one.",
                    "背景：读入每个字符后第 {layer} 层第 {unit} 个单元的值（红 > 0，蓝 < 0）。"
                    "鼠标悬停可看模型对下一个字符的猜测。"),
    "rnn.summary": ("**{kind}** read {count} characters: {bits} bits per character on your text (the held-out "
                    "text: {held_out}; always guessing by letter frequency: {unigram}).",
                    "**{kind}** 读入了 {count} 个字符：在你的文字上每字符 {bits} 比特（留出文本上：{held_out}；"
                    "只按字母频率猜：{unigram}）。"),
    "rnn.err.layer": ("Layer {layer} does not exist: the model has {count} layers.",
                      "第 {layer} 层不存在：模型共有 {count} 层。"),
    "rnn.err.state": ("'{state}' is not part of this model; choose one of: {choices}.",
                      "“{state}”不属于这个模型；请从以下选择：{choices}。"),
    "rnn.err.unit": ("Unit {unit} does not exist: the layer has {count} units (0 to {count} − 1).",
                     "单元 {unit} 不存在：这一层有 {count} 个单元（0 到 {count} − 1）。"),
}
