policy = ["policy.rego"]

# An object result naming a device points at the device.
finding {
  rule     = "restricted-in-ops-range"
  file     = "main.tf"
  line     = 21
  severity = "error"
}

# A string result points at the first head of `deny` in the policy file.
finding {
  rule    = "rego:main.deny"
  file    = "policy.rego"
  line    = 8
  message = "1 restricted device(s)"
}

no_finding {
  rule = "restricted-in-ops-range"
  line = 45
}
