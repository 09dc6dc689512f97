# Fails on purpose: the finding is on line 21, not 22.
policy = ["rules.hcl"]

finding {
  rule = "camera-in-ops-range"
  file = "main.tf"
  line = 22
}
