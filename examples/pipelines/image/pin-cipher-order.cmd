@echo off
rem Golden-image step: pin the cipher-suite order without Group Policy.
rem Applies the profile now, and registers a startup task that re-applies it
rem after servicing (apply writes nothing when the order is still in place).
rem Exit code: schannelcfg's (0 or 3010 are success), or 9 if the task could not
rem be registered.
set EXE=C:\Tools\schannelcfg.exe
set PROFILE=C:\Tools\pin-cipher-order.ini
"%EXE%" apply "%PROFILE%" %SCHANNELCFG_EXTRA%
set RC=%ERRORLEVEL%
if not "%RC%"=="0" if not "%RC%"=="3010" exit /b %RC%
if not defined SCHANNELCFG_NO_TASK schtasks /create /f /tn "schannelcfg pin cipher order" /xml "%~dp0pin-cipher-order-task.xml" >nul || exit /b 9
exit /b %RC%
