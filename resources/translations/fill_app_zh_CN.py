"""Fill epro_app_zh_CN.ts with its Chinese translations (maintenance tool, not run by the app).

Usage, after adding strings to the files listed in tests/test_app_translations.py:
  cd resources/translations
  ../../.venv/bin/pyside6-lupdate <those files> -ts epro_app_zh_CN.ts -target-language zh_CN
  ../../.venv/bin/python fill_app_zh_CN.py epro_app_zh_CN.ts     # prints what is missing
Strings behind module-level ``_tr()`` helpers are invisible to lupdate: list them in MANUAL.
"""
import xml.etree.ElementTree as ET
ZH = {
# issue 14 accounts, signing, printing (H10)
'Reason (required to deactivate, re-activate, unlock, reset a password)': '原因（停用、重新启用、解锁、重置密码时必填）',
"Reset the selected account's password": '重置所选账户的密码',
'Set temporary password': '设置临时密码',
'Temporary password': '临时密码',
"Temporary password set. Give it to the account's owner in person; they must choose a new one at their next login.": '已设置临时密码。请当面交给账户本人；其下次登录时必须设置新密码。',
'active, must change password': '启用，须修改密码',
'A PDF could not be read for printing; nothing was printed.': '无法读取要打印的 PDF；未打印任何内容。',
'The file %1 could not be written (%2); nothing was printed.': '无法写入文件 %1（%2）；未打印任何内容。',
'The printing system did not accept the job (%1); nothing was printed.': '打印系统未接受该任务（%1）；未打印任何内容。',
'At least %1 characters, not a common password, not containing the user name.': '至少 %1 个字符，不能是常见密码，不能包含用户名。',
'The password may have at most %1 characters.': '密码最多 %1 个字符。',
'The password must not be or contain the user name.': '密码不能是用户名，也不能包含用户名。',
'This password is one of the most common passwords; choose another.': '该密码属于最常见的密码之一，请另选一个。',
"This system has no CUPS 'lp' command: the pages were printed as 300 dpi images.": '本系统没有 CUPS “lp” 命令：页面以 300 dpi 图像打印。',
'%1 page(s) saved as the summary PDF itself (text kept).': '已将 %1 页保存为摘要 PDF 原件（保留文字）。',
' min': ' 分钟', ' s': ' 秒',
'Account created. Give the initial password to its owner in person.': '账户已创建。请当面将初始密码交给账户所有人。',
'Account unlocked.': '账户已解锁。', 'Account updated.': '账户已更新。',
'Both SF-36 scorings are always stored; the primary one is shown first on screens and reports. New idle times apply at the next start of the app.': '两种 SF-36 计分方法始终都会保存；主要计分方法在屏幕和报告中优先显示。新的空闲时间在下次启动程序时生效。',
'CDISC ODM 1.3.2 XML': 'CDISC ODM 1.3.2 XML', 'CSV folder (spreadsheets, R, SAS)': 'CSV 文件夹（电子表格、R、SAS）',
'Choose where to save the export.': '请选择导出的保存位置。', 'Choose…': '选择…',
'Corrected from the source document': '根据源文件更正', 'Create account': '创建账户', 'Created': '创建时间',
'Deactivate': '停用', 'Details': '详细说明', 'Entered for the wrong patient or visit': '录入到错误的患者或访视',
'Export file': '导出文件', 'Export finished: %1 file(s), recorded in the audit trail.': '导出完成：%1 个文件，已记录在稽查轨迹中。',
'Export folder': '导出文件夹', 'Export study data': '导出研究数据', 'Export': '导出',
'Exporting… (you can keep working; this window shows the result)': '正在导出…（您可以继续工作；结果将显示在此窗口）',
'FHIR R4 JSON bundle': 'FHIR R4 JSON 数据包', 'First administrator': '第一位管理员', 'Format': '格式',
'From the patient kiosk': '来自患者自助终端', 'Full name': '姓名', 'Initial password': '初始密码', 'Kind': '类型',
'Kiosk asks “Are you still there?” after': '自助终端询问“您还在吗？”的时间',
'New account': '新账户', 'Nothing left for the patient to answer in this visit.': '本次访视中已没有需要患者填写的问卷。',
'Only data changed since': '仅导出此日期之后更改的数据', 'Only investigators can export study data.': '只有研究者可以导出研究数据。',
'Opening the database…': '正在打开数据库…', 'Other (explain)': '其他（请说明）', 'Password': '密码',
'Patient clarified the answer': '患者澄清了答案', 'Period': '时间范围', 'Preparing demo data (first start only)…': '正在准备演示数据（仅首次启动）…',
'Primary SF-36 scoring': 'SF-36 主要计分方法', 'Protocol id': '方案编号',
'RAND-36 (RAND 1993, 0–100 scales)': 'RAND-36（RAND 1993，0–100 分量表）',
'REDCap data dictionary + import file': 'REDCap 数据字典 + 导入文件', 'Re-activate': '重新启用',
'Reason (required to deactivate, re-activate, unlock)': '原因（停用、重新启用、解锁时必填）',
'Reason (to deactivate)': '原因（停用时必填）', 'Reason for changing the assessment': '修改评估的原因',
'Reason for the change (required)': '修改原因（必填）', 'Reason': '原因', 'Register station': '登记工作站',
'Registered': '登记时间', 'Repeat the password': '再次输入密码', 'Role': '角色', 'SDTM QS-style CSV': 'SDTM QS 格式 CSV',
'SF-36 v1 (Ware 1993, norm-based PCS/MCS)': 'SF-36 v1（Ware 1993，基于常模的 PCS/MCS）', 'Save settings': '保存设置',
'Save to': '保存到', 'Select a station first.': '请先选择一个工作站。', 'Select an account first.': '请先选择一个账户。',
'Set-up failed; nothing was saved. (%1)': '设置失败；未保存任何内容。（%1）',
'Settings saved (recorded in the audit trail).': '设置已保存（已记录在稽查轨迹中）。', 'Site code': '中心代码', 'Site name': '中心名称',
'Staff idle logout after': '工作人员空闲自动退出时间', 'Station deactivated.': '工作站已停用。', 'Station id': '工作站编号',
'Station registered.': '工作站已登记。', 'Stations': '工作站', 'Status': '状态', 'Study and site': '研究与中心',
'Study settings': '研究设置', 'Study title': '研究标题', 'Study': '研究', 'Subject (optional)': '受试者（可选）',
'The administrator creates the staff accounts (nurses, investigators). Administrators cannot see clinical data.': '管理员创建工作人员账户（护士、研究者）。管理员不能查看临床数据。',
'The database cannot be opened; nothing was changed.\n%1': '无法打开数据库；未做任何更改。\n%1',
'The export failed; no export was recorded. (%1)': '导出失败；未记录任何导出。（%1）',
'The password must have at least %1 characters.': '密码至少需要 %1 个字符。',
'The patient part has ended. Please log in again.': '患者部分已结束。请重新登录。',
'The two passwords differ.': '两次输入的密码不一致。',
'This assessment was saved before. The old values stay in the audit trail; a signed visit will need a new signature.': '此评估之前已保存。旧值保留在稽查轨迹中；已签名的访视需要重新签名。',
'This database is empty. Enter the study this PC collects data for.': '此数据库为空。请输入本电脑收集数据的研究。',
'Transcription / entry error': '转录/录入错误', 'Unlock': '解锁', 'User name': '用户名', 'Users': '用户',
'What changed and from which source (required)': '修改了什么以及依据的来源（必填）',
'Written files and their SHA-256 hashes appear here; the export is recorded in the audit trail.': '已写入的文件及其 SHA-256 哈希值将显示在此处；导出会记录在稽查轨迹中。',
'active': '启用', 'administrator': '管理员', 'all subjects': '全部受试者', 'deactivated': '已停用',
'e.g. HBV-DC-2026': '例如 HBV-DC-2026', 'e.g. SH01': '例如 SH01', 'e.g. kiosk-ward3 (the kiosk shows its id)': '例如 kiosk-ward3（自助终端会显示其编号）',
'ePRO Desk — first-run set-up': 'ePRO Desk — 首次运行设置', 'inactive': '已停用', 'investigator': '研究者', 'locked': '已锁定',
'patient kiosk': '患者自助终端', 'staff workstation': '工作人员工作站', 'study nurse': '研究护士', '— choose a reason —': '— 选择原因 —',
'Export data…': '导出数据…',
}

ZH.update({
'Visit summary — %1': '访视摘要 — %1', 'Print…': '打印…', 'Printing…': '正在打印…',
'Printing failed (%1).': '打印失败（%1）。',
'The visit summary could not be made (%1); nothing was changed.': '无法生成访视摘要（%1）；未做任何更改。',
'%1 of %2 visit summaries could not be built; nothing was printed.': '%2 份访视摘要中有 %1 份无法生成；未打印任何内容。',
'No visits with data on %1; nothing was printed.': '%1 没有含数据的访视；未打印任何内容。',
'Visit summary': '访视摘要', 'Preview / print this visit…': '预览/打印本次访视…',
"Print today's visits…": '打印今天的访视…', "Building today's visit summaries…": '正在生成今天的访视摘要…',
'%1 visit summaries (%2 pages) sent to the printer.': '已将 %1 份访视摘要（%2 页）发送到打印机。',
'The PDF %1 could not be read for printing (%2); nothing was printed from it.': '无法读取 PDF %1 进行打印（%2）；未打印其中任何内容。',
'A page could not be rendered for printing.': '有一页无法渲染用于打印。',
'The printer could not be started; nothing was printed. Check the printer and try again.': '无法启动打印机；未打印任何内容。请检查打印机后重试。',
'The printer stopped accepting pages after %1 page(s).': '打印机在 %1 页后停止接收页面。',
})
ZH.update({  # first-run wizard: the protocol file (issue 11)
'%1 (%2), version %3: %4 — %5 arms, %6 visits. SHA-256 %7':
    '%1（%2），版本 %3：%4 — %5 个组，%6 个访视。SHA-256 %7',
'Protocol file': '方案文件', 'Protocol files (*.json)': '方案文件 (*.json)',
'Study protocol and site': '研究方案与中心',
'This database is empty. Choose the protocol file of the study this PC collects data for, and enter the site.':
    '此数据库为空。请选择本电脑所采集数据的研究的方案文件，并填写中心信息。',
'This file cannot be used: %1': '此文件无法使用：%1',
})
NUMERUS = {'%n page(s) sent to the printer.': '已将 %n 页发送到打印机。'}
MANUAL = {  # strings behind module-level _tr() helpers, which lupdate cannot see
 'VisitSummary': ['%1 of %2 visit summaries could not be built; nothing was printed.',
                  'No visits with data on %1; nothing was printed.', 'Visit summary',
                  'Preview / print this visit…', "Print today's visits…",
                  "Building today's visit summaries…",
                  '%1 visit summaries (%2 pages) sent to the printer.'],
 'PrintPdf': ['The PDF %1 could not be read for printing (%2); nothing was printed from it.',
              'A page could not be rendered for printing.',
              'The printer could not be started; nothing was printed. Check the printer and try again.',
              'The printer stopped accepting pages after %1 page(s).'],
 'NurseMainWindow': ['Export data…'],
}

import sys
path = sys.argv[1]
tree = ET.parse(path)
root = tree.getroot()
for cname, sources in MANUAL.items():
    ctx = next((c for c in root.iter('context') if c.findtext('name') == cname), None)
    if ctx is None:
        ctx = ET.SubElement(root, 'context'); ET.SubElement(ctx, 'name').text = cname
    have = {m.findtext('source') for m in ctx.iter('message')}
    for s in sources:
        if s not in have:
            m = ET.SubElement(ctx, 'message'); ET.SubElement(m, 'source').text = s
            ET.SubElement(m, 'translation')
missing = []
for m in root.iter('message'):
    src = m.findtext('source')
    tr = m.find('translation')
    if src in NUMERUS:
        for nf in tr.findall('numerusform'):
            nf.text = NUMERUS[src]
        tr.attrib.pop('type', None)
    elif src in ZH:
        tr.text = ZH[src]
        tr.attrib.pop('type', None)
    else:
        missing.append(src)
tree.write(path, encoding='utf-8', xml_declaration=True)
print('missing:', missing)
