"""UI strings by topic, each a dict ``key: (english, simplified_chinese)``; merged in playground.i18n."""
