# Intune remediation, detection script: exit 0 = compliant, exit 1 = run
# the remediation. Run as SYSTEM, in 64-bit PowerShell.
# Exercised by tests/e2e/test_pipelines.sh (the command runs under Wine;
# PowerShell itself is not available on the Debian test machine).
$exe = "C:\Tools\schannelcfg.exe"
$output = & $exe check tls12-strict 2>&1
$code = $LASTEXITCODE
Write-Output ($output -join "`n")
# 0 compliant; 1 drift; anything else (2 usage, 5 refused) is also "not compliant".
if ($code -eq 0) { exit 0 } else { exit 1 }
