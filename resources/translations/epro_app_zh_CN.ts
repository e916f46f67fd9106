<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="105" />
        <source>First administrator</source>
        <translation>第一位管理员</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="106" />
        <source>The administrator creates the staff accounts (nurses, investigators). Administrators cannot see clinical data.</source>
        <translation>管理员创建工作人员账户（护士、研究者）。管理员不能查看临床数据。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="117" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="118" />
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="119" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="120" />
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>The password must have at least %1 characters.</source>
        <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="132" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="151" />
        <source>Set-up failed; nothing was saved. (%1)</source>
        <translation>设置失败；未保存任何内容。（%1）</translation>
    </message>
</context>
<context>
    <name>AdminPanel</name>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="183" />
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="184" />
        <source>Stations</source>
        <translation>工作站</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="185" />
        <source>Study settings</source>
        <translation>研究设置</translation>
    </message>
</context>
<context>
    <name>AdminStationsWidget</name>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="29" />
        <source>patient kiosk</source>
        <translation>患者自助终端</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="29" />
        <source>staff workstation</source>
        <translation>工作人员工作站</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="31" />
        <source>Station id</source>
        <translation>工作站编号</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="32" />
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="33" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="33" />
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="33" />
        <source>inactive</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="34" />
        <source>Registered</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="44" />
        <source>e.g. kiosk-ward3 (the kiosk shows its id)</source>
        <translation>例如 kiosk-ward3（自助终端会显示其编号）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="49" />
        <source>Register station</source>
        <translation>登记工作站</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="52" />
        <source>Reason (to deactivate)</source>
        <translation>原因（停用时必填）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="53" />
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="84" />
        <source>Station registered.</source>
        <translation>工作站已登记。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="92" />
        <source>Select a station first.</source>
        <translation>请先选择一个工作站。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="98" />
        <source>Station deactivated.</source>
        <translation>工作站已停用。</translation>
    </message>
</context>
<context>
    <name>AdminUsersWidget</name>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="25" />
        <source>study nurse</source>
        <translation>研究护士</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="25" />
        <source>investigator</source>
        <translation>研究者</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="26" />
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="28" />
        <location filename="../../ui/nurse/admin_users.py" line="81" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="29" />
        <location filename="../../ui/nurse/admin_users.py" line="82" />
        <source>Full name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="30" />
        <location filename="../../ui/nurse/admin_users.py" line="83" />
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="31" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="31" />
        <source>locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="33" />
        <source>active, must change password</source>
        <translation>启用，须修改密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="34" />
        <source>active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="32" />
        <source>deactivated</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="35" />
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Reason (required to deactivate, re-activate, unlock)</source>
        <translation>原因（停用、重新启用、解锁时必填）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="44" />
        <source>Reason (required to deactivate, re-activate, unlock, reset a password)</source>
        <translation>原因（停用、重新启用、解锁、重置密码时必填）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="46" />
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="48" />
        <source>Re-activate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="50" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="60" />
        <source>New account</source>
        <translation>新账户</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="77" />
        <source>Create account</source>
        <translation>创建账户</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="84" />
        <source>Initial password</source>
        <translation>初始密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="85" />
        <location filename="../../ui/nurse/admin_users.py" line="102" />
        <source>Repeat the password</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="90" />
        <source>Reset the selected account's password</source>
        <translation>重置所选账户的密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="97" />
        <source>Set temporary password</source>
        <translation>设置临时密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="101" />
        <source>Temporary password</source>
        <translation>临时密码</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="139" />
        <source>Select an account first.</source>
        <translation>请先选择一个账户。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="148" />
        <source>Account updated.</source>
        <translation>账户已更新。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="156" />
        <source>Account unlocked.</source>
        <translation>账户已解锁。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="163" />
        <location filename="../../ui/nurse/admin_users.py" line="178" />
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="166" />
        <source>Temporary password set. Give it to the account's owner in person; they must choose a new one at their next login.</source>
        <translation>已设置临时密码。请当面交给账户本人；其下次登录时必须设置新密码。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_users.py" line="182" />
        <source>Account created. Give the initial password to its owner in person.</source>
        <translation>账户已创建。请当面将初始密码交给账户所有人。</translation>
    </message>
</context>
<context>
    <name>ChangeReasonDialog</name>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="89" />
        <source>Reason for changing the assessment</source>
        <translation>修改评估的原因</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="91" />
        <source>Transcription / entry error</source>
        <translation>转录/录入错误</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="92" />
        <source>Patient clarified the answer</source>
        <translation>患者澄清了答案</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="93" />
        <source>Entered for the wrong patient or visit</source>
        <translation>录入到错误的患者或访视</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="94" />
        <source>Corrected from the source document</source>
        <translation>根据源文件更正</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="95" />
        <source>Other (explain)</source>
        <translation>其他（请说明）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="101" />
        <source>— choose a reason —</source>
        <translation>— 选择原因 —</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="105" />
        <source>What changed and from which source (required)</source>
        <translation>修改了什么以及依据的来源（必填）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="106" />
        <source>This assessment was saved before. The old values stay in the audit trail; a signed visit will need a new signature.</source>
        <translation>此评估之前已保存。旧值保留在稽查轨迹中；已签名的访视需要重新签名。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="110" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/clinical_load.py" line="111" />
        <source>Details</source>
        <translation>详细说明</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="50" />
        <source>Export study data</source>
        <translation>导出研究数据</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="56" />
        <source>CSV folder (spreadsheets, R, SAS)</source>
        <translation>CSV 文件夹（电子表格、R、SAS）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="57" />
        <source>REDCap data dictionary + import file</source>
        <translation>REDCap 数据字典 + 导入文件</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="58" />
        <source>CDISC ODM 1.3.2 XML</source>
        <translation>CDISC ODM 1.3.2 XML</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="59" />
        <source>FHIR R4 JSON bundle</source>
        <translation>FHIR R4 JSON 数据包</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="60" />
        <source>SDTM QS-style CSV</source>
        <translation>SDTM QS 格式 CSV</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="61" />
        <source>SDTM datasets (XPT v5 + define.xml)</source>
        <translation>SDTM 数据集（XPT 第 5 版 + Define-XML）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="65" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="74" />
        <source>all subjects</source>
        <translation>全部受试者</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="75" />
        <source>Only data changed since</source>
        <translation>仅导出此日期之后更改的数据</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="88" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="89" />
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="90" />
        <source>Subject (optional)</source>
        <translation>受试者（可选）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="91" />
        <source>Period</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="98" />
        <source>Written files and their SHA-256 hashes appear here; the export is recorded in the audit trail.</source>
        <translation>已写入的文件及其 SHA-256 哈希值将显示在此处；导出会记录在稽查轨迹中。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="103" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="109" />
        <source>Only investigators can export study data.</source>
        <translation>只有研究者可以导出研究数据。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="132" />
        <source>Export folder</source>
        <translation>导出文件夹</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="135" />
        <source>Export file</source>
        <translation>导出文件</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="145" />
        <source>Choose where to save the export.</source>
        <translation>请选择导出的保存位置。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="150" />
        <source>Exporting… (you can keep working; this window shows the result)</source>
        <translation>正在导出…（您可以继续工作；结果将显示在此窗口）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="164" />
        <source>Export finished: %1 file(s), recorded in the audit trail.</source>
        <translation>导出完成：%1 个文件，已记录在稽查轨迹中。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/export_dialog.py" line="173" />
        <source>The export failed; no export was recorded. (%1)</source>
        <translation>导出失败；未记录任何导出。（%1）</translation>
    </message>
</context>
<context>
    <name>Launcher</name>
    <message>
        <location filename="../../ui/launcher.py" line="47" />
        <source>Opening the database…</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="48" />
        <source>Preparing demo data (first start only)…</source>
        <translation>正在准备演示数据（仅首次启动）…</translation>
    </message>
    <message>
        <location filename="../../ui/launcher.py" line="71" />
        <source>The database cannot be opened; nothing was changed.
%1</source>
        <translation>无法打开数据库；未做任何更改。
%1</translation>
    </message>
</context>
<context>
    <name>NurseMainWindow</name>
    <message>
        <source>Export data…</source>
        <translation>导出数据…</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <location filename="../../ui/widgets/pdf_preview.py" line="96" />
        <source>Visit summary — %1</source>
        <translation>访视摘要 — %1</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview.py" line="111" />
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview.py" line="131" />
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/widgets/pdf_preview.py" line="139" />
        <source>%n page(s) sent to the printer.</source>
        <translation>
            <numerusform>已将 %n 页发送到打印机。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/widgets/pdf_preview.py" line="145" />
        <source>Printing failed (%1).</source>
        <translation>打印失败（%1）。</translation>
    </message>
</context>
<context>
    <name>PrintPdf</name>
    <message>
        <source>The PDF %1 could not be read for printing (%2); nothing was printed from it.</source>
        <translation>无法读取 PDF %1 进行打印（%2）；未打印其中任何内容。</translation>
    </message>
    <message>
        <source>A page could not be rendered for printing.</source>
        <translation>有一页无法渲染用于打印。</translation>
    </message>
    <message>
        <source>The printer could not be started; nothing was printed. Check the printer and try again.</source>
        <translation>无法启动打印机；未打印任何内容。请检查打印机后重试。</translation>
    </message>
    <message>
        <source>The printer stopped accepting pages after %1 page(s).</source>
        <translation>打印机在 %1 页后停止接收页面。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/setup_wizard.py" line="165" />
        <source>ePRO Desk — first-run set-up</source>
        <translation>ePRO Desk — 首次运行设置</translation>
    </message>
</context>
<context>
    <name>StudyPage</name>
    <message>
        <source>Study and site</source>
        <translation>研究与中心</translation>
    </message>
    <message>
        <source>This database is empty. Enter the study this PC collects data for.</source>
        <translation>此数据库为空。请输入本电脑收集数据的研究。</translation>
    </message>
    <message>
        <source>e.g. HBV-DC-2026</source>
        <translation>例如 HBV-DC-2026</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="51" />
        <source>e.g. SH01</source>
        <translation>例如 SH01</translation>
    </message>
    <message>
        <source>Protocol id</source>
        <translation>方案编号</translation>
    </message>
    <message>
        <source>Study title</source>
        <translation>研究标题</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="39" />
        <source>Study protocol and site</source>
        <translation>研究方案与中心</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="40" />
        <source>This database is empty. Choose the protocol file of the study this PC collects data for, and enter the site.</source>
        <translation>此数据库为空。请选择本电脑所采集数据的研究的方案文件，并填写中心信息。</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="44" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="57" />
        <location filename="../../ui/setup_wizard.py" line="68" />
        <source>Protocol file</source>
        <translation>方案文件</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="59" />
        <source>Site code</source>
        <translation>中心代码</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="60" />
        <source>Site name</source>
        <translation>中心名称</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="70" />
        <source>Protocol files (*.json)</source>
        <translation>方案文件 (*.json)</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="82" />
        <source>This file cannot be used: %1</source>
        <translation>此文件无法使用：%1</translation>
    </message>
    <message>
        <location filename="../../ui/setup_wizard.py" line="89" />
        <source>%1 (%2), version %3: %4 — %5 arms, %6 visits. SHA-256 %7</source>
        <translation>%1（%2），版本 %3：%4 — %5 个组，%6 个访视。SHA-256 %7</translation>
    </message>
</context>
<context>
    <name>StudySettingsWidget</name>
    <message>
        <source>RAND-36 (RAND 1993, 0–100 scales)</source>
        <translation>RAND-36（RAND 1993，0–100 分量表）</translation>
    </message>
    <message>
        <source>SF-36 v1 (Ware 1993, norm-based PCS/MCS)</source>
        <translation>SF-36 v1（Ware 1993，基于常模的 PCS/MCS）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="120" />
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="124" />
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="125" />
        <source>Reason for the change (required)</source>
        <translation>修改原因（必填）</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="127" />
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="134" />
        <source>Study</source>
        <translation>研究</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="135" />
        <source>Primary SF-36 scoring</source>
        <translation>SF-36 主要计分方法</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="136" />
        <source>Staff idle logout after</source>
        <translation>工作人员空闲自动退出时间</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="137" />
        <source>Kiosk asks “Are you still there?” after</source>
        <translation>自助终端询问“您还在吗？”的时间</translation>
    </message>
    <message>
        <source>After a tapped answer, go on to the next question by itself</source>
        <translation>点击答案后自动进入下一题</translation>
    </message>
    <message>
        <source>Kiosk answers</source>
        <translation>自助终端答题</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="138" />
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="139" />
        <source>Both SF-36 scorings are always stored; the primary one is shown first on screens and reports. New idle times apply at the next start of the app.</source>
        <translation>两种 SF-36 计分方法始终都会保存；主要计分方法在屏幕和报告中优先显示。新的空闲时间在下次启动程序时生效。</translation>
    </message>
    <message>
        <location filename="../../ui/nurse/admin_settings.py" line="170" />
        <source>Settings saved (recorded in the audit trail).</source>
        <translation>设置已保存（已记录在稽查轨迹中）。</translation>
    </message>
</context>
<context>
    <name>VisitSummary</name>
    <message>
        <source>%1 of %2 visit summaries could not be built; nothing was printed.</source>
        <translation>%2 份访视摘要中有 %1 份无法生成；未打印任何内容。</translation>
    </message>
    <message>
        <source>No visits with data on %1; nothing was printed.</source>
        <translation>%1 没有含数据的访视；未打印任何内容。</translation>
    </message>
    <message>
        <source>Visit summary</source>
        <translation>访视摘要</translation>
    </message>
    <message>
        <source>Preview / print this visit…</source>
        <translation>预览/打印本次访视…</translation>
    </message>
    <message>
        <source>Print today's visits…</source>
        <translation>打印今天的访视…</translation>
    </message>
    <message>
        <source>Building today's visit summaries…</source>
        <translation>正在生成今天的访视摘要…</translation>
    </message>
    <message>
        <source>%1 visit summaries (%2 pages) sent to the printer.</source>
        <translation>已将 %1 份访视摘要（%2 页）发送到打印机。</translation>
    </message>
</context>
<context>
    <name>VisitSummaryActions</name>
    <message>
        <location filename="../../ui/widgets/pdf_preview.py" line="192" />
        <source>The visit summary could not be made (%1); nothing was changed.</source>
        <translation>无法生成访视摘要（%1）；未做任何更改。</translation>
    </message>
</context>
<context>
    <name>Workstation</name>
    <message>
        <source>This visit cannot start yet: %1</source>
        <translation>此访视尚不能开始：%1</translation>
    </message>
    <message>
        <location filename="../../ui/workstation.py" line="77" />
        <source>Nothing left for the patient to answer in this visit.</source>
        <translation>本次访视中已没有需要患者填写的问卷。</translation>
    </message>
    <message>
        <location filename="../../ui/workstation.py" line="98" />
        <source>The patient part has ended. Please log in again.</source>
        <translation>患者部分已结束。请重新登录。</translation>
    </message>
    <message>
        <location filename="../../ui/workstation.py" line="112" />
        <source>From the patient kiosk</source>
        <translation>来自患者自助终端</translation>
    </message>
</context>
</TS>