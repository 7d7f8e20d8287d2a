# Intune remediation, remediation script: apply the profile. 3010 means the
# change was made and needs a reboot; Intune reports success and the next
# maintenance reboot completes it. Run as SYSTEM, in 64-bit PowerShell.
# Exercised by tests/e2e/test_pipelines.sh.
$exe = "C:\Tools\schannelcfg.exe"
$output = & $exe apply tls12-strict 2>&1
$code = $LASTEXITCODE
Write-Output ($output -join "`n")
if ($code -in 0, 3010) { exit 0 } else { exit 1 }
