# Sourced by the cluster scripts: prints a Java 17 runtime (Spark 3.5 does not run on later ones).
java17() {
  for java in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/java-17-*/bin/java; do
    if [[ -n "$java" && -x "$java" ]] && "$java" -version 2>&1 | head -1 | grep -q '"17[".]'; then
      echo "$java"
      return
    fi
  done
  echo "needs a Java 17 runtime; set JAVA_HOME to one" >&2
  exit 1
}
