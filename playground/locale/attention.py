"""Strings of the attention tab (seq2seq Transformer and ViT, primer §13–§15)."""

STRINGS: dict[str, tuple[str, str]] = {
    "attn.tab": ("§13–15 · Attention", "§13–15 · 注意力"),
    "attn.intro": (
        "**Primer §13–§15.** An encoder–decoder reads a sequence and writes another (§13); the Transformer does "
        "both with attention alone (§14): every position asks a *query*, compares it with every *key* "
        "(Q·Kᵀ/√d), turns the scores into weights with a softmax, and takes the weighted sum of the *values*. "
        "ViT (§15) cuts a picture into patches and reads them as a sentence. Every map below is a weight the "
        "bundled networks used, returned by their attention layers.",
        "**入门 §13–§15。** 编码器–解码器读入一个序列、写出另一个序列（§13）；Transformer 只用注意力完成这两件事"
        "（§14）：每个位置提出一个*查询*（query），与每个*键*（key）比较（Q·Kᵀ/√d），用 softmax 把得分变成权重，"
        "再对*值*（value）加权求和。ViT（§15）把图片切成小块，像读句子一样读它们。"
        "下面的每张图都是内置网络实际使用的权重，由它们的注意力层返回。",
    ),
    "attn.text_tab": ("Transformer · dates", "Transformer · 日期"),
    "attn.text_intro": (
        "The bundled Transformer (2 encoder + 2 decoder layers, 4 heads, d = 64) turns a date written in any of "
        "15 ways into ISO 8601. Type your own: to write the year it must look at the year, to write the "
        "month at the month. The last four examples are formats it never saw in training.",
        "内置的 Transformer（2 层编码器 + 2 层解码器，4 个头，d = 64）把多种写法的日期转换成 ISO 8601。"
        "输入你自己的日期：写年份时它得看年份，写月份时得看月份。最后四个示例是训练中从未见过的写法。",
    ),
    "attn.text": ("A date, written any way", "一个日期（任意写法）"),
    "attn.layer": ("Layer", "层"),
    "attn.head": ("Head", "头"),
    "attn.head.average": ("average of the heads", "各头平均"),
    "attn.step": ("Decoding step", "解码步"),
    "attn.valid": (
        "Output: **{output}**. It exists on the calendar; that is all this checks, not that it is the date you wrote.",
        "输出：**{output}**。这个日期在日历上存在；这里只检查这一点，并不检查它是不是你写的那个日期。",
    ),
    "attn.invalid": (
        "Output: **{output}** — not a date on the calendar: the network wrote what it could, with no rule to check it.",
        "输出：**{output}** —— 日历上没有这个日期：网络只是写出了它能写的，并没有规则检查它。",
    ),
    "attn.unsure": (
        "⚠️ The network was unsure: character {position} (`{token}`) was written with probability {p}; it nearly "
        "wrote {others}. A softmax always picks a character, sure or not.",
        "⚠️ 网络并不确定：第 {position} 个字符（`{token}`）的概率只有 {p}；它差点写成 {others}。"
        "softmax 总会选出一个字符，无论有没有把握。",
    ),
    "attn.sure": (
        "Every character was written with a probability of at least {p}.",
        "每个字符的概率都至少为 {p}。",
    ),
    "attn.output_caption": (
        "Under each character: how sure the network was (red: under 90 %); hover for its three likeliest choices.",
        "每个字符下方：网络有多确定（红色：低于 90 %）；悬停可看它最可能的三个选择。",
    ),
    "attn.unknown_note": (
        "Characters it has never seen became the unknown token (shown as �): {chars}",
        "它从未见过的字符变成了未知标记（显示为 �）：{chars}",
    ),
    "attn.title.encoder": ("Encoder self-attention · layer {layer} · head {head}",
                           "编码器自注意力 · 第 {layer} 层 · 头 {head}"),
    "attn.title.decoder": ("Decoder masked self-attention · layer {layer} · head {head}",
                           "解码器掩码自注意力 · 第 {layer} 层 · 头 {head}"),
    "attn.title.cross": ("Cross-attention: where each output character looked · layer {layer} · head {head}",
                         "交叉注意力：每个输出字符看向哪里 · 第 {layer} 层 · 头 {head}"),
    "attn.axis.keys.encoder": ("key: source character", "键：源字符"),
    "attn.axis.keys.decoder": ("key: output so far", "键：已写出的输出"),
    "attn.axis.keys.cross": ("key: source character", "键：源字符"),
    "attn.axis.queries.encoder": ("query: source character", "查询：源字符"),
    "attn.axis.queries.decoder": ("query: the step writing…", "查询：正在写出…的步"),
    "attn.axis.queries.cross": ("query: the step writing…", "查询：正在写出…的步"),
    "attn.hover": ("query {query} → key {key}: {weight}", "查询 {query} → 键 {key}：{weight}"),
    "attn.hover_masked": ("masked: a later step, not yet written (weight exactly 0)",
                          "被掩码：尚未写出的后续步（权重恰好为 0）"),
    "attn.weight": ("weight", "权重"),
    "attn.lit_caption": ("Step {step} writes <b>{token}</b>, reading these characters:",
                         "第 {step} 步写出 <b>{token}</b>，它读的是这些字符："),
    "attn.mechanism": ("The mechanism: one head, one step", "机制：一个头、一步"),
    "attn.mechanism.md": (
        "The chosen layer, head and step, recomputed from the layer's own projections: the scores "
        "Q·Kᵀ/√d, then the mask (a later output step, or padding, gets −∞), then the softmax. Pick which "
        "attention to take apart:",
        "用该层自己的投影重新计算所选层、头和步：先算得分 Q·Kᵀ/√d，再加掩码（后续输出步或填充位置得到 −∞），"
        "最后做 softmax。选择要拆开看的注意力：",
    ),
    "attn.mech_kind": ("Attention", "注意力"),
    "attn.kind.encoder": ("encoder self-attention", "编码器自注意力"),
    "attn.kind.decoder": ("decoder masked self-attention", "解码器掩码自注意力"),
    "attn.kind.cross": ("cross-attention", "交叉注意力"),
    "attn.mech.scores": ("scores Q·Kᵀ/√{d}", "得分 Q·Kᵀ/√{d}"),
    "attn.mech.mask": ("mask (−∞: may not look)", "掩码（−∞：不许看）"),
    "attn.mech.softmax": ("softmax → weights", "softmax → 权重"),
    "attn.mech.check_ok": (
        "✅ Layer {layer}, head {head}, step {step}: the recomputed weights match the weights the network "
        "returned in its forward pass (max |Δ| = {delta}).",
        "✅ 第 {layer} 层、头 {head}、第 {step} 步：重新计算的权重与网络前向传播返回的权重一致（最大 |Δ| = {delta}）。",
    ),
    "attn.mech.check_bad": (
        "❌ Layer {layer}, head {head}, step {step}: the recomputed weights differ from the returned ones "
        "(max |Δ| = {delta}).",
        "❌ 第 {layer} 层、头 {head}、第 {step} 步：重新计算的权重与返回的权重不同（最大 |Δ| = {delta}）。",
    ),
    "attn.mech.average_note": ("The heads' average has no single Q and K: this shows head 1.",
                               "各头平均没有单一的 Q 和 K：这里显示头 1。"),
    "attn.caveat": (
        "*Attention is not explanation* (Jain & Wallace, 2019; Wiegreffe & Pinter, 2019): a weight tells where a "
        "head read from, not why the output is what it is — the values it mixed, the other heads and the layers "
        "after it decide too.",
        "*注意力不等于解释*（Jain & Wallace, 2019；Wiegreffe & Pinter, 2019）：权重只说明一个头从哪里读取，而不说明输出"
        "为什么是这样——它混合的值、其他头以及之后的层同样起作用。",
    ),
    "attn.err.empty": ("Type a date first, for example “26 November 2026”.",
                       "请先输入一个日期，例如“26 November 2026”。"),
    "attn.err.too_long": (
        "That text has {count} characters; the date Transformer reads at most {limit}. Type just the date.",
        "这段文字有 {count} 个字符；日期 Transformer 最多读 {limit} 个。请只输入日期。",
    ),
    "attn.err.kind": ("Unknown attention “{kind}”; choose one of {choices}.",
                      "未知的注意力“{kind}”；请从 {choices} 中选择。"),
    # --- ViT ---
    "attn.vit_tab": ("ViT · pictures", "ViT · 图片"),
    "attn.vit.intro": (
        "The bundled Vision Transformer cuts a 32×32 digit into 8×8 = 64 patches of 4×4 pixels, adds a "
        "learned [CLS] token, and reads them with 4 encoder layers of 4 heads; the class is read from [CLS]. "
        "Each patch becomes a vector through a small convolutional stem rather than the paper's single linear "
        "map (Xiao et al., 2021): trained on only 4,000 digits, the linear version stopped near 80 %. "
        "**CLS attention** shows how much [CLS] looked at each patch in one layer and head. **Rollout** (Abnar "
        "& Zuidema, 2020) follows attention through the layers: average the heads, add the identity for the "
        "residual connection, make each row sum to 1, multiply the layers. torchvision's ViT-B/16 (ImageNet, "
        "196 patches of 16×16, 12 layers × 12 heads) is one download away.",
        "内置的视觉 Transformer 把 32×32 的数字切成 8×8 = 64 个 4×4 像素的小块，加上一个可学习的 [CLS] 标记，"
        "用 4 层、每层 4 个头的编码器读取它们；类别从 [CLS] 读出。每个小块通过一个小的卷积主干"
        "（而不是论文中的单个线性映射，Xiao et al., 2021）变成向量：只用 4,000 个数字训练时，"
        "线性版本的准确率停在 80% 左右。**CLS 注意力**显示某一层某个头中 [CLS] 看每个小块的程度。**注意力展开**"
        "（rollout，Abnar & Zuidema, 2020）沿层追踪注意力：对各头取平均，加上代表残差连接的单位矩阵，使每行之和为 1，"
        "再逐层相乘。torchvision 的 ViT-B/16（ImageNet，196 个 16×16 小块，12 层 × 12 个头）下载一次即可使用。",
    ),
    "attn.vit.weights": ("Network", "网络"),
    "attn.vit.weights.bundled": ("bundled ViT (digits)", "内置 ViT（数字）"),
    "attn.vit.weights.imagenet": ("torchvision ViT-B/16 (ImageNet)", "torchvision ViT-B/16（ImageNet）"),
    "attn.vit.view": ("Show on the picture", "在图片上显示"),
    "attn.vit.view.cls": ("CLS attention of one layer", "某一层的 CLS 注意力"),
    "attn.vit.view.rollout": ("rollout through the layers", "逐层的注意力展开"),
    "attn.vit.layer_pick": ("Layer (rollout: up to this layer)", "层（展开：到这一层为止）"),
    "attn.vit.layer_pick.info": ("the bundled ViT has 4 layers, ViT-B/16 has 12; beyond the last, the last is shown",
                                 "内置 ViT 有 4 层，ViT-B/16 有 12 层；超过最后一层时显示最后一层"),
    "attn.vit.head_pick": ("Head (0: the average of the heads)", "头（0：各头平均）"),
    "attn.vit.head_pick.info": ("the bundled ViT has 4 heads per layer, ViT-B/16 has 12",
                                "内置 ViT 每层 4 个头，ViT-B/16 每层 12 个"),
    "attn.vit.shown": ("Shown: {view}, layer {layer}, {head}.", "显示：{view}，第 {layer} 层，{head}。"),
    "attn.vit.opacity": ("Overlay opacity", "叠加不透明度"),
    "attn.vit.patches": ("Your picture, cut into patches", "你的图片，切成小块"),
    "attn.vit.overlay": ("Attention on the patches", "小块上的注意力"),
    "attn.vit.steps": (
        "what was done to your picture: {steps}; then {grid}×{grid} patches of {patch}×{patch} pixels + [CLS] = "
        "{tokens} tokens",
        "对你的图片所做的处理：{steps}；然后切成 {grid}×{grid} 个 {patch}×{patch} 像素的小块 + [CLS] = {tokens} 个标记",
    ),
    "attn.vit.check": (
        "✅ Rollout through {layers} layers: every row sums to 1 (max |Σ − 1| = {delta}).",
        "✅ 经过 {layers} 层的注意力展开：每一行之和都为 1（最大 |Σ − 1| = {delta}）。",
    ),
    "attn.vit.check_cls": (
        "✅ CLS's attention in layer {layer} ({head}) is a softmax over all {tokens} tokens: it sums to 1 "
        "(|Σ − 1| = {delta}). The map shows its weights on the patches; the remaining {cls} is CLS attending to "
        "itself.",
        "✅ 第 {layer} 层（{head}）中 CLS 的注意力是对全部 {tokens} 个词元的 softmax：和为 1（|Σ − 1| = {delta}）。"
        "图上显示的是它在各图块上的权重；其余的 {cls} 是 CLS 对自己的注意力。",
    ),
    "attn.vit.head": ("head {head}", "头 {head}"),
    "attn.vit.average": ("average", "平均"),
    "attn.vit.rollout": ("rollout", "展开"),
    "attn.vit.layer": ("layer {layer}", "第 {layer} 层"),
    "attn.vit.hover": ("patch row %{{y}}, column %{{x}}: %{{z:.3f}}", "小块 第 %{{y}} 行 第 %{{x}} 列：%{{z:.3f}}"),
    "attn.vit.class": ("class", "类别"),
    "vit.image": ("Picture", "图片"),
    "vit.draw": ("Draw a digit", "手写一个数字"),
    "vit.use_drawing": ("Use my drawing", "使用我的画"),
}
