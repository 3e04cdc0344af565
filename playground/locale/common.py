"""Strings shared by the whole app: header, language and device controls, generic errors."""

STRINGS: dict[str, tuple[str, str]] = {
    "app.title": ("Deep Learning Playground", "深度学习游乐场"),
    "app.title.md": ("# 🧠 Deep Learning Playground", "# 🧠 深度学习游乐场"),
    "app.intro": (
        "Every idea of the primer *Deep learning basics*, computed live by PyTorch on your own numbers "
        "and images — and checked against PyTorch's own functions.",
        "《深度学习基础》中的每一个概念，都由 PyTorch 在你自己的数字和图片上实时计算，"
        "并与 PyTorch 自带的函数逐一核对。",
    ),
    "common.lang": ("Language", "语言"),
    "common.device": ("Device", "计算设备"),
    "common.device.info": ("Where PyTorch runs for you.", "PyTorch 为你运行在哪里。"),
    "common.device_now": ("Running on **{device}** · PyTorch {torch}", "运行于 **{device}** · PyTorch {torch}"),
    "common.cpu_threads": ("CPU ({threads} threads)", "CPU（{threads} 个线程）"),
    "common.run": ("Run", "运行"),
    "common.examples": ("Examples", "示例"),
    "common.code": ("The code that runs", "正在运行的代码"),
    "common.check_ok": (
        "✅ Matches PyTorch `{op}` (max |Δ| = {delta:.2e})",
        "✅ 与 PyTorch `{op}` 一致（最大 |Δ| = {delta:.2e}）",
    ),
    "common.check_bad": (
        "❌ Differs from PyTorch `{op}` (max |Δ| = {delta:.2e}) — please report this as a bug",
        "❌ 与 PyTorch `{op}` 不一致（最大 |Δ| = {delta:.2e}）——请把它当作缺陷报告给我们",
    ),
    "common.error_title": ("Cannot compute this", "无法计算"),
    "common.busy_retry": ("The server is busy: asking again in {seconds} s…", "服务器正忙：{seconds} 秒后再试……"),
    "common.err.internal": (
        "Something went wrong on the server (it was logged). Try other values; if it keeps happening, "
        "please report it.",
        "服务器出错了（已记录日志）。请换一组数值再试；如果一再出现，请报告给我们。",
    ),
    "common.err.device": (
        "The device '{device}' is not available here. Choose one of: {choices}.",
        "这里没有计算设备“{device}”。请从以下设备中选择：{choices}。",
    ),
    "common.err.empty_numbers": (
        "Type at least one number, for example 3, 1, -3.",
        "请至少输入一个数，例如 3, 1, -3。",
    ),
    "common.err.not_a_number": (
        "'{token}' is not a number. Separate numbers with commas or spaces, for example 3, 1, -3.",
        "“{token}”不是数字。请用逗号或空格分隔数字，例如 3, 1, -3。",
    ),
    "common.err.not_finite": (
        "'{token}' is not a finite number (inf and NaN cannot be computed with). Use an ordinary number.",
        "“{token}”不是有限数（inf 和 NaN 无法参与计算）。请输入普通的数字。",
    ),
    "common.err.too_many_numbers": (
        "{count} numbers is more than the limit of {limit}. Remove some.",
        "共 {count} 个数，超过了上限 {limit} 个。请删去一些。",
    ),
    "common.err.text_too_long": (
        "The text has {count} characters, more than the limit of {limit}. Shorten it.",
        "文本共 {count} 个字符，超过了上限 {limit} 个。请缩短它。",
    ),
    "common.err.out_of_range": (
        "{name} must be between {low} and {high} (got {value}).",
        "{name} 必须在 {low} 到 {high} 之间（当前为 {value}）。",
    ),
    "common.err.missing_value": ("Give a value for {name}.", "请为 {name} 填一个值。"),
    "common.err.not_whole": (
        "{name} must be a whole number (got {value}).",
        "{name} 必须是整数（当前为 {value}）。",
    ),
    "common.err.ragged": (
        "Row {row} of {name} has {got} numbers but row 1 has {want}. Give every row the same count.",
        "{name} 的第 {row} 行有 {got} 个数，而第 1 行有 {want} 个。请让每一行的个数相同。",
    ),
    "common.err.matrix_too_big": (
        "{name} is {rows}×{cols}; the limit is {limit}×{limit}. Make it smaller.",
        "{name} 的大小是 {rows}×{cols}，上限是 {limit}×{limit}。请把它改小。",
    ),
    "common.err.channel_count": (
        "{name} has {got} channels (blocks separated by an empty line) but {want} are needed.",
        "{name} 有 {got} 个通道（用空行分隔的块），但需要 {want} 个。",
    ),
    "common.err.channel_shape": (
        "All channels of {name} must have the same size: channel 1 is {first}, channel {index} is {other}.",
        "{name} 的所有通道必须一样大：通道 1 是 {first}，通道 {index} 是 {other}。",
    ),
}
