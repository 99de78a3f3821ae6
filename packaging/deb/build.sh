#!/usr/bin/env bash
# Builds the Debian package of stressd with dpkg-deb (`make deb`): the static
# binary, the units (their /usr/local paths made /usr), the default config
# as a conffile, a man page per command from the argument parser's own help
# (swift-argument-parser's generate-manual), bash, zsh and fish completions
# from its completion scripts, and the README.
#
# Usage: packaging/deb/build.sh STRESSD_BIN GENERATE_MANUAL OUT_DIR
# Prints the path of the .deb it wrote.
set -euo pipefail
# What `>` and mkdir make takes the builder's umask: under 000 a completion
# script root's shell sources would ship writable by everyone.
umask 022

bin=$1 generate_manual=$2 out=$3
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
version=$("$bin" --version)
arch=$(dpkg --print-architecture)
[[ $version =~ ^[0-9][0-9A-Za-z.+~-]*$ ]] || { echo "build.sh: odd version '$version'" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/stressd_${version}_$arch

install -D -m 0755 "$bin" "$root/usr/bin/stressd"
# Debug sections are a third of the binary and nothing reads them on a host.
strip --strip-debug "$root/usr/bin/stressd"
for unit in stressd.service stressd.socket stressd-cleanup.service; do
    install -d "$root/lib/systemd/system"
    sed 's#/usr/local/#/usr/#g' "$repo/units/$unit" >"$root/lib/systemd/system/$unit"
    chmod 0644 "$root/lib/systemd/system/$unit"
done
# 0700, as `make install` makes it: the token lives beside the config.
install -d -m 0700 "$root/etc/stressd"
install -m 0644 "$repo/config/stressd.toml" "$root/etc/stressd/stressd.toml"
install -D -m 0644 "$repo/README.md" "$root/usr/share/doc/stressd/README.md"

# One page per command (stressd-cpu(1), ...), named as git's are.
manuals=$work/man
mkdir -p "$manuals" "$root/usr/share/man/man1"
"$generate_manual" "$bin" --multi-page --date "$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" +%F)" \
    --authors "stressd developers" -o "$manuals"
for page in "$manuals"/*.1; do
    name=$(basename "$page" .1)
    [[ $name == stressd.help ]] && continue
    gzip -9n <"$page" >"$root/usr/share/man/man1/${name/./-}.1.gz"
done

install -d "$root/usr/share/bash-completion/completions" "$root/usr/share/zsh/vendor-completions" \
    "$root/usr/share/fish/vendor_completions.d"
"$bin" --generate-completion-script bash >"$root/usr/share/bash-completion/completions/stressd"
"$bin" --generate-completion-script zsh >"$root/usr/share/zsh/vendor-completions/_stressd"
"$bin" --generate-completion-script fish >"$root/usr/share/fish/vendor_completions.d/stressd.fish"

install -d "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/control" >"$root/DEBIAN/control"
install -m 0644 "$here/conffiles" "$root/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done

mkdir -p "$out"
deb=$out/stressd_${version}_$arch.deb
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "$deb"
