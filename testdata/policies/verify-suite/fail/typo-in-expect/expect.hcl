# Fails on purpose: `lines` is not an attribute of a finding block.
finding {
  rule  = "restricted-camera-present"
  lines = 21
}
