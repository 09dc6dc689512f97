# Reuses a built-in rule id: camlint refuses (exit 2) rather than letting
# one rule silently replace the other.
rule "restricted-camera-present" {
  severity  = "error"
  over      = "device"
  summary   = "House version of a built-in rule"
  condition = device.restricted
}
