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
}
