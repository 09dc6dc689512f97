# House rule: no camera of any make in the operations range 10.20.0.0/16.
rule "camera-in-ops-range" {
  severity  = "error"
  over      = "attachment"
  summary   = "No camera of any make in the 10.20.0.0/16 operations range"
  condition = device.is_camera && anytrue([for c in network.cidrs : cidr_contains("10.20.0.0/16", c)])
  message   = "${device.name} (${device.vendor_name}) sits in ${network.name}, inside the operations range"
}

# House rule: every camera must have a known model number (a warning).
rule "camera-without-model" {
  severity  = "warning"
  over      = "device"
  summary   = "A camera without a model number cannot be checked against vendor lists"
  condition = device.is_camera && length(device.model) == 0
}
