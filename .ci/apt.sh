# Debian packages for CI and local runs: `source .ci/apt.sh; apt_install PACKAGE...` (as root).

apt_install() {
    # A registry hiccup, or another apt holding the dpkg lock (a machine may still be running its
    # start-up installs), must not cost the whole CI run: wait for the lock, and try a few times.
    local attempt apt=(apt-get -o DPkg::Lock::Timeout=180 -qq)
    for attempt in 1 2 3 4; do
        "${apt[@]}" update || echo "apt-get update failed (attempt $attempt)" >&2
        if DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y "$@" >/dev/null; then
            return 0
        fi
        echo "apt-get install $* failed (attempt $attempt)" >&2
        sleep $((attempt * 5))
    done
    return 1
}
