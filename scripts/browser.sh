#!/usr/bin/env bash
# The web chat's browser tests drive Debian's Chromium through chromium-driver (Selenium). Both
# come from the system's package manager, here, when missing; nothing is downloaded at test time.
# fonts-wqy-microhei: a Chinese font for the browser's screenshots and for the console's PNG and
# PDF charts (matplotlib draws those itself; its SVG leaves the text to the browser).
set -euo pipefail
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && [[ -f $FONT ]]; then
  exit 0
fi
if [[ $(id -u) == 0 ]]; then
  as_root=()
elif sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "网页聊天的浏览器测试需要 chromium 和 chromium-driver / the web chat's browser tests need:" >&2
  echo "  sudo apt-get install chromium chromium-driver fonts-wqy-microhei" >&2
  exit 1
fi
printf '\033[1m%s\033[0m\n' "安装 / installing chromium chromium-driver fonts-wqy-microhei …"
install() {
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
    chromium chromium-driver fonts-wqy-microhei >/dev/null
}
install || { "${as_root[@]}" apt-get update -qq && install; }
