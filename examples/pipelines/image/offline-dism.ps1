# Golden image, serviced offline on a Windows build host: mount the WIM with
# DISM, make its TLS configuration match a profile, check it, and commit the
# image only if schannelcfg succeeded. Run elevated (DISM and RegLoadKeyW
# need it). schannelcfg loads the image's SYSTEM and SOFTWARE hives under
# temporary names and always unloads them, so Dismount-WindowsImage is not
# blocked by a hive left loaded.
#   .\offline-dism.ps1 -Wim D:\images\install.wim -Index 1 -Profile tls12-strict
param(
    [Parameter(Mandatory)] [string] $Wim,
    [int] $Index = 1,
    [string] $Profile = 'tls12-strict',
    [string] $Mount = 'C:\Mount\image',
    [string] $Exe = 'C:\Tools\schannelcfg.exe'
)
$ErrorActionPreference = 'Stop'
New-Item -ItemType Directory -Force -Path $Mount | Out-Null
Mount-WindowsImage -ImagePath $Wim -Index $Index -Path $Mount | Out-Null
$ok = $false
try {
    # What will change, for the build log (never writes).
    & $Exe diff $Profile --image $Mount
    if ($LASTEXITCODE -ne 0) { throw "schannelcfg diff failed: exit $LASTEXITCODE" }
    # The change; the rollback snapshot is written into the image's own
    # ProgramData\schannelcfg\snapshots, so the deployed machine can roll back.
    & $Exe apply $Profile --image $Mount --format json | Out-File -Encoding utf8 "$Mount\..\schannelcfg-apply.json"
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) { throw "schannelcfg apply failed: exit $LASTEXITCODE" }
    & $Exe check $Profile --image $Mount
    if ($LASTEXITCODE -ne 0) { throw "the image does not comply after apply: exit $LASTEXITCODE" }
    $ok = $true
}
finally {
    if ($ok) { Dismount-WindowsImage -Path $Mount -Save | Out-Null }
    else { Dismount-WindowsImage -Path $Mount -Discard | Out-Null }
}
