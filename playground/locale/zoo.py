"""Strings of the model zoo and the training tab."""

STRINGS: dict[str, tuple[str, str]] = {
    "zoo.err.unknown": ("Unknown network '{name}'. Choose one of: {choices}.",
                        "未知的网络“{name}”。请从以下选择：{choices}。"),
    "zoo.err.no_weights": (
        "No bundled weights for '{name}' are listed in pretrained/manifest.json. Train them with `{command}`.",
        "pretrained/manifest.json 中没有“{name}”的内置权重。请用 `{command}` 训练。",
    ),
    "zoo.err.missing_file": (
        "The weights file pretrained/{file} is missing. Restore it from the repository or run `{command}`.",
        "权重文件 pretrained/{file} 不见了。请从代码仓库恢复，或运行 `{command}`。",
    ),
    "zoo.err.hash": (
        "The weights file pretrained/{file} does not match its sha256 in pretrained/manifest.json (corrupted or "
        "replaced). Restore it from the repository or run `{command}`.",
        "权重文件 pretrained/{file} 与 pretrained/manifest.json 中记录的 sha256 不符（已损坏或被替换）。"
        "请从代码仓库恢复，或运行 `{command}`。",
    ),
    "zoo.err.no_imagenet": (
        "'{name}' has no ImageNet weights in torchvision. Choose the bundled weights, or AlexNet, VGG, GoogLeNet, "
        "ResNet, MobileNet v2 or DenseNet for ImageNet.",
        "“{name}”在 torchvision 中没有 ImageNet 权重。请选择内置权重，或选择 AlexNet、VGG、GoogLeNet、ResNet、"
        "MobileNet v2、DenseNet 来使用 ImageNet 权重。",
    ),
    "zoo.err.bad_checkpoint": (
        "The cached ImageNet checkpoint for {name} could not be loaded safely ({reason}). Delete it from "
        "{folder}/checkpoints and try again.",
        "{name} 的 ImageNet 缓存权重无法安全加载（{reason}）。请从 {folder}/checkpoints 删除它后重试。",
    ),
    "zoo.err.offline": (
        "Could not download torchvision's pretrained weights for {name} ({reason}): this machine seems to be "
        "offline. The bundled model is still available; try again when online.",
        "无法下载 {name} 的 torchvision 预训练权重（{reason}）：这台机器似乎没有联网。内置模型仍然可以使用；"
        "联网后再试。",
    ),
}
STRINGS.update({
    "net.err.not_trained": (
        "You have not trained {name} in this session yet. Train it in the Training-loop tab, or choose other weights.",
        "本次会话中你还没有训练过 {name}。请在“训练循环”标签页训练它，或选择其他权重。",
    ),
    "net.err.weights": ("Unknown weights '{weights}'. Choose one of: {choices}.",
                        "未知的权重“{weights}”。请从以下选择：{choices}。"),
})
