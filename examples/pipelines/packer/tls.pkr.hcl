# Packer (windows-shell provisioners): configure TLS in a golden image.
# schannelcfg.exe is copied into the image first (e.g. a "file" provisioner
# to C:\Tools\schannelcfg.exe). Exit 3010 means "applied, reboot required":
# Packer must treat it as success, then reboot before checking.
# Exercised by tests/e2e/test_pipelines.sh (the commands run under Wine).

build {
  sources = ["source.hyperv-iso.windows"]

  provisioner "windows-shell" {
    inline           = ["C:\\Tools\\schannelcfg.exe apply tls12-strict --snapshot-dir C:\\Windows\\Temp\\schannelcfg"]
    valid_exit_codes = [0, 3010]
  }

  provisioner "windows-restart" {}

  # Fails the build (exit 1) if anything drifted back, e.g. a later
  # provisioner or servicing step rewrote a value.
  provisioner "windows-shell" {
    inline           = ["C:\\Tools\\schannelcfg.exe check tls12-strict"]
    valid_exit_codes = [0]
  }
}
