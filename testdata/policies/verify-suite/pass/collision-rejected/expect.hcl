# A policy that must be rejected: its rule id collides with a built-in one.
policy          = ["custom.hcl"]
exit_code       = 2
stderr_contains = "rule id `restricted-camera-present` is already defined"
