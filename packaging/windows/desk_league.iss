; Inno Setup 6 script: turns the Windows bundle into one setup file for the office PC.
;
; Build on Windows, from the repository root, after `python packaging\build.py`:
;     iscc packaging\windows\desk_league.iss
; The setup file lands in dist\desk-league-setup-<version>.exe (see README, "打包 Packaging").
;
; - Installs per user without administrator rights (an administrator may choose all users);
; - Start-menu shortcuts and a desktop shortcut (the clerk may untick the latter);
; - Chinese wizard; the version comes from desk-league.exe itself (packaging/windows/version_info.py);
; - Uninstalling removes the program only: the office's data folder %LOCALAPPDATA%\desk-league
;   (database, backups, attachments) and the window layout stay. Nothing below deletes them.
;
; This file is UTF-8 with a byte order mark, as Inno Setup needs for the Chinese text.

#define AppName "团委工作台"
#define AppExe "desk-league.exe"
#define Bundle AddBackslash(SourcePath) + "..\..\dist\desk-league"

#if !FileExists(Bundle + "\" + AppExe)
  #error dist\desk-league\desk-league.exe not found: run "python packaging\build.py" first.
#endif
#define AppVersion GetStringFileInfo(Bundle + "\" + AppExe, "ProductVersion")
#define AppVersionNumbers GetVersionNumbersString(Bundle + "\" + AppExe)

; The Chinese wizard texts are an unofficial Inno Setup translation (ChineseSimplified.isl,
; from the "Unofficial" translations on the Inno Setup website / in its issrc repository under
; Files\Languages\Unofficial). Put it beside this script, or in Inno Setup's Languages folder.
#if FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseMessages AddBackslash(SourcePath) + "ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Unofficial\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\Unofficial\ChineseSimplified.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseMessages "compiler:Languages\ChineseSimplified.isl"
#else
  #error ChineseSimplified.isl not found: put it in packaging\windows\ (see README, "打包 Packaging").
#endif

[Setup]
; AppId identifies the program for upgrades and the uninstaller: never change it.
AppId={{6835CA1D-0FBF-4747-AFB0-415CD6F28C1E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=市直卫生系统团委
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\desk-league
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=desk-league-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\desk_league.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/ultra64
SolidCompression=yes
; The app must be closed to be updated or removed (its files are in use while it runs).
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "{#ChineseMessages}"

[CustomMessages]
chinesesimplified.ShortcutsGroup=快捷方式：
chinesesimplified.DesktopShortcut=在桌面上创建“{#AppName}”快捷方式
chinesesimplified.UninstallShortcut=卸载{#AppName}
chinesesimplified.StartAfterInstall=立即启动{#AppName}
chinesesimplified.DataKept={#AppName}已卸载。%n%n您的数据（数据库、备份、附件）没有删除，仍保存在：%n%1%n%n重新安装后会继续使用这些数据；如确实不再需要，可手动删除该文件夹。

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopShortcut}"; GroupDescription: "{cm:ShortcutsGroup}"

[InstallDelete]
; An update replaces the whole bundle, so no library of an older version lingers beside the new.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Bundle}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "市直卫生系统团委工作台"
Name: "{group}\{cm:UninstallShortcut}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:StartAfterInstall}"; Flags: nowait postinstall skipifsilent

[Code]
{ The uninstaller never deletes the data folder; it says so, and where it is. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataDir := ExpandConstant('{localappdata}\desk-league');
    if DirExists(DataDir) and not UninstallSilent then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir]), mbInformation, MB_OK);
  end;
end;
