#!/usr/bin/env bash
# Rebuilds NotoSansSC-GB2312.otf, the font the charts embed: the Simplified Chinese face of Debian's
# fonts-noto-cjk cut down to GB2312 + ASCII + Latin-1 + common punctuation (about 1.6 MB).
# Needs: apt-get install fonts-noto-cjk; pip install fonttools.
set -euo pipefail
cd "$(dirname "$0")"
python3 - <<'PY' > /tmp/niche-charset.txt
chars = set(chr(c) for c in range(0x20, 0x7F)) | set(chr(c) for c in range(0xA0, 0x100))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars |= set("–—‘’“”…·•×÷±≤≥≈→←↑↓▲▼●○■□★☆、。，：；！？（）《》【】「」『』％～")
print("".join(sorted(chars)))
PY
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=2 \
  --text-file=/tmp/niche-charset.txt --no-hinting --desubroutinize --layout-features=kern,liga \
  --output-file=NotoSansSC-GB2312.otf
