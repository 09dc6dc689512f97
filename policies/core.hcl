# camlint's own rules. Their ids are stable: CI configs, suppressions and
# baselines refer to them. Each rule is documented from these fields
# (`camlint explain RULE`, docs/rules/).

rule "restricted-camera-on-sensitive-network" {
  severity    = device.confidence == "low" ? "warning" : "error"
  over        = "attachment"
  summary     = "A camera made by a restricted vendor is attached to a sensitive network"
  description = <<-EOT
    The device is a visual-surveillance product (camera, NVR, DVR, encoder, or
    a device of unknown kind from a maker of cameras) made by a vendor that an
    enabled pack restricts: directly, through a subsidiary or brand, or
    through a documented OEM relationship. It is attached to a network that
    is sensitive. The UK government's statement of 24 November 2022 tells
    departments that such equipment must not be deployed on sensitive sites
    or connected to core networks; the US FCC Covered List bars the makers'
    video-surveillance equipment for the purposes of NDAA section 889.
    A link known only with low confidence (an OEM relationship seen in a
    single source) is reported as a warning.
  EOT
  condition = device.restricted && device.is_camera && network.sensitive
  message   = "${device.vendor_name}${device.vendor != device.maker ? " (${device.maker_name})" : ""} ${device.kind == "unknown" ? "device" : device.kind} ${device.name} is on sensitive network ${network.name}"
  help      = "Move the device to a non-sensitive network or replace it with equipment from a maker that no enabled pack restricts. If it is already being phased out, suppress the finding with a reason and an end date: camlint:ignore[restricted-camera-on-sensitive-network] reason=\"…\" until=YYYY-MM-DD"
  url       = "https://www.gov.uk/government/news/government-to-remove-surveillance-cameras-made-by-firms-subject-to-chinas-national-intelligence-law-from-sensitive-sites"
}

rule "restricted-camera-present" {
  severity    = "warning"
  over        = "device"
  summary     = "A camera made by a restricted vendor is in the estate (not on a sensitive network)"
  description = <<-EOT
    The device is a visual-surveillance product made by a vendor that an
    enabled pack restricts, but camlint found it on no sensitive network.
    The UK statement asks departments to consider removing such equipment
    rather than waiting for scheduled upgrades, and to consider extending the
    controls to other sites. This is phase-out advice.
  EOT
  condition = device.restricted && device.is_camera && !device.on_sensitive_network
  message   = "${device.vendor_name}${device.vendor != device.maker ? " (${device.maker_name})" : ""} ${device.kind == "unknown" ? "device" : device.kind} ${device.name} is made by a restricted vendor (${join(", ", device.restricted_by)})"
  help      = "Plan its replacement; it must not be moved onto a sensitive network."
}

rule "unverified-camera-on-sensitive-network" {
  severity    = "warning"
  over        = "attachment"
  summary     = "A camera with no vendor evidence at all is on a sensitive network"
  description = <<-EOT
    The device is evidently a camera, NVR or DVR (by its role, name or
    description) and sits on a sensitive network, but nothing says who made
    it: no manufacturer or model field, no MAC address with a registered
    OUI, no maker named in its text. camlint cannot tell whether it is
    restricted.
  EOT
  condition = device.is_camera && !device.has_vendor_signal && network.sensitive
  message   = "${device.kind} ${device.name} is on sensitive network ${network.name} but nothing says who made it"
  help      = "Record the manufacturer (or the MAC address) in the source so the device can be verified."
}

rule "unresolved-device-on-sensitive-network" {
  severity    = "note"
  over        = "attachment"
  summary     = "A device on a sensitive network has no known maker because a value could not be resolved"
  description = <<-EOT
    The device is attached to a sensitive network, nothing known about it
    names a maker, and some of its values could not be resolved in a
    static scan: a variable without a value, an attribute known only after
    apply, a module that was not evaluated, a function camlint does not
    evaluate. The value that could not be resolved may be the one that
    names a restricted vendor, so camlint says which expression it is and
    why, rather than passing the device silently or failing it on a guess.
  EOT
  condition = device.unresolved && !device.has_vendor_signal && network.sensitive
  message   = "${device.kind == "unknown" ? "device" : device.kind} ${device.name} is on sensitive network ${network.name}, but who made it is not known: ${device.unresolved_reason}"
  help      = "Give the value in a tfvars file (or with --var-file), or scan the plan JSON (terraform show -json plan.out) where Terraform has resolved it."
}

rule "parse-error" {
  severity    = "error"
  over        = "diagnostic"
  summary     = "A file camlint reads could not be parsed"
  description = <<-EOT
    camlint claimed the file (by its name or content) but could not read all
    of it: a syntax error, invalid UTF-8, a file over the size limit, or an
    unreadable file. A gate must fail closed: what could not be read could
    hide a restricted camera.
  EOT
  help = "Fix the syntax error, or exclude the file with --exclude or .camlintignore if it is not infrastructure code."
}

rule "too-many-findings" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A file has more findings than --max-findings-per-file lists"
  description = <<-EOT
    Past the per-file limit (1000 by default), the remaining findings of a
    file are not listed one by one but counted in this one finding. It takes
    the highest severity among those it stands for, and the exit code is
    decided from all findings, so the cap never lets a failing file pass.
  EOT
  help = "Fix the findings listed first, or raise --max-findings-per-file to see them all."
}

rule "dynamic-inventory-not-evaluated" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A dynamic inventory script or plugin was not run"
  description = <<-EOT
    camlint never executes what it reads. Dynamic inventory scripts and
    inventory plugins are listed so that nobody assumes their hosts were
    checked.
  EOT
  help = "Export the inventory (ansible-inventory --list) into a file in the scan if its hosts should be checked."
}

rule "invalid-suppression" {
  severity    = "warning"
  over        = "diagnostic"
  summary     = "A suppression comment is malformed or has no reason"
  description = <<-EOT
    Every suppression must say why: camlint:ignore[RULE] reason="…", with an
    optional until=YYYY-MM-DD. A suppression without a reason, with a date
    that is not a date, or with an unknown key does not apply, so the finding
    it meant to silence still stands.
  EOT
  help = "Write the suppression as: camlint:ignore[RULE] reason=\"why this is accepted\" until=YYYY-MM-DD"
}

rule "expired-suppression" {
  severity    = "warning"
  over        = "diagnostic"
  summary     = "A suppression comment is past its until= date"
  description = <<-EOT
    The suppression's end date has passed, so the finding it covered is
    reported again. Accepted risks are meant to be revisited.
  EOT
  help = "Fix the finding, or renew the suppression with a new reason and date."
}

# Vendor intelligence: covered non-camera equipment and disagreeing evidence.

rule "covered-equipment-on-sensitive-network" {
  severity    = "warning"
  over        = "attachment"
  summary     = "Equipment on the FCC Covered List that is not a camera is attached to a sensitive network"
  description = <<-EOT
    The device is made by a vendor on the US FCC Covered List (NDAA FY2019
    section 889: telecommunications equipment of Huawei and ZTE, video
    surveillance and telecommunications equipment of Hytera, Hikvision and
    Dahua, and their subsidiaries and affiliates) but is not a camera: a
    switch, router, access point, radio or device of unknown kind from a
    maker whose main line is network or radio equipment. It is attached to
    a sensitive network. Cameras of these makers are reported by
    restricted-camera-on-sensitive-network instead. The rule needs the
    us-fcc-covered pack.
  EOT
  condition = contains(device.restricted_by, "us-fcc-covered") && !device.is_camera && network.sensitive
  message   = "${device.vendor_name}${device.vendor != device.maker ? " (${device.maker_name})" : ""} ${device.kind == "unknown" ? "device" : device.kind} ${device.name} is covered equipment (FCC Covered List) on sensitive network ${network.name}"
  help      = "Plan to replace the equipment with a maker that is not on the Covered List, or move it off the sensitive network. If it stays for now, suppress with a reason and an end date: camlint:ignore[covered-equipment-on-sensitive-network] reason=\"…\" until=YYYY-MM-DD"
  url       = "https://www.fcc.gov/supplychain/coveredlist"
}

rule "vendor-evidence-conflict" {
  severity    = "warning"
  over        = "device"
  summary     = "Strong evidence about who made a device disagrees, and one side is a restricted vendor"
  description = <<-EOT
    Two strong signals name different makers: an explicit manufacturer or
    model field, and the MAC address's IEEE registrant (for example, the
    manufacturer says Axis while the MAC belongs to a Hikvision block). One
    of the two is restricted by an enabled pack. camlint goes by the
    explicit field, but the record may be wrong, or the device may be a
    rebadged unit. The finding points at both places.
  EOT
  condition = device.vendor_conflict
  message   = "${device.name}: ${device.vendor_signal} says ${device.vendor_name} but ${device.conflicting_signal} says ${device.conflicting_maker_name}"
  help      = "Check the device: correct the record if it is wrong, or treat the device as made by the restricted vendor if the MAC is right."
}

rule "module-not-evaluated" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A Terraform module call was not evaluated"
  description = <<-EOT
    The module's source is remote (a registry, git or HTTP address), or a
    local directory that is not in the scan, or the call would nest modules
    more than 16 deep or call a module from inside itself. camlint never
    downloads modules and never guesses what they contain, so devices
    declared inside are not checked from this call.
  EOT
  help = "Add the module's directory to the scan, or scan the plan: terraform show -json plan.out > plan.json"
}

rule "evaluation-limit" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A Terraform expansion was cut at camlint's limit"
  description = <<-EOT
    A count, for_each or dynamic block gives more than 10,000 instances, or
    a root module instantiates more than 10,000 modules. camlint checks the
    first ones and says so rather than running without bound.
  EOT
  help = "Scan the plan JSON for the full set of instances, or split the configuration."
}

# Ansible reading notes.

rule "duplicate-key" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A YAML mapping repeats a key; the last value wins"
  description = <<-EOT
    Ansible (PyYAML) keeps the last value of a repeated key with only a
    warning. camlint does the same, and points at the value that won, but
    the earlier one was probably meant to be removed.
  EOT
  help = "Remove the duplicate key."
}

rule "unexpected-inventory-key" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A YAML inventory has a key Ansible does not read there"
  description = <<-EOT
    Inside a group, Ansible reads only hosts, children and vars. Anything
    else is ignored by Ansible, so camlint ignores it too and says so: a
    misspelt `hosts:` would otherwise hide the hosts from every check.
  EOT
  help = "Check the spelling and the indentation of the group."
}

rule "vault-encrypted-not-read" {
  severity    = "note"
  over        = "diagnostic"
  summary     = "A vault-encrypted variables file was not read"
  description = <<-EOT
    camlint does not decrypt Ansible Vault files, so variables set there
    (possibly a device's maker or MAC) are not checked.
  EOT
  help = "Keep device facts (maker, model, MAC) outside the vault; they are not secrets."
}
