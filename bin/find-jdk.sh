# Sourced by ./mvnw and ./zonewire: points JAVA_HOME at a JDK 25 or newer.
# Keeps JAVA_HOME when it already is one; otherwise takes the newest JDK 25+ under /usr/lib/jvm.
# Stops with a message naming what it found when there is none.

zonewire_java_feature() { # prints the feature release of the JDK at $1 (e.g. 25), or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

zonewire_find_jdk() {
  zonewire_required=25
  zonewire_seen=""
  if [ -n "${JAVA_HOME-}" ]; then
    zonewire_v=$(zonewire_java_feature "$JAVA_HOME")
    if [ -n "$zonewire_v" ] && [ "$zonewire_v" -ge "$zonewire_required" ]; then
      return 0
    fi
    zonewire_seen="JAVA_HOME=$JAVA_HOME (version ${zonewire_v:-unknown})"
  fi
  zonewire_best="" zonewire_best_v=0
  case $- in *f*) zonewire_noglob=1; set +f ;; *) zonewire_noglob="" ;; esac
  for zonewire_dir in /usr/lib/jvm/*; do
    [ -d "$zonewire_dir" ] && [ ! -L "$zonewire_dir" ] || continue
    zonewire_v=$(zonewire_java_feature "$zonewire_dir")
    [ -n "$zonewire_v" ] || continue
    zonewire_seen="$zonewire_seen${zonewire_seen:+, }$zonewire_dir (version $zonewire_v)"
    if [ "$zonewire_v" -ge "$zonewire_required" ] && [ "$zonewire_v" -gt "$zonewire_best_v" ]; then
      zonewire_best="$zonewire_dir" zonewire_best_v="$zonewire_v"
    fi
  done
  [ -z "$zonewire_noglob" ] || set -f
  if [ -z "$zonewire_best" ]; then
    echo "zonewire needs a JDK $zonewire_required or newer. Found: ${zonewire_seen:-no JDK in JAVA_HOME or /usr/lib/jvm}." >&2
    echo "Install one (e.g. Temurin 25 into /usr/lib/jvm) or set JAVA_HOME to it." >&2
    exit 1
  fi
  JAVA_HOME="$zonewire_best"
  export JAVA_HOME
}

zonewire_find_jdk
