# Fails on purpose: the built-in rule does fire on the Hikvision camera.
no_finding {
  rule = "restricted-camera-present"
  file = "main.tf"
}
