# The house rule fires on the Hikvision camera in the ops range, not on the
# Axis camera on visitor wifi.
policy = ["rules.hcl"]

finding {
  rule     = "camera-in-ops-range"
  file     = "main.tf"
  line     = 21
  severity = "error"
  message  = "netbox_device.gate (Hikvision)"
}

no_finding {
  rule = "camera-in-ops-range"
  line = 45
}

no_finding {
  rule = "camera-without-model"
}

exit_code = 1
