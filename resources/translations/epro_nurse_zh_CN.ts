<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context>
    <name>AuditTable</name>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="19" />
      <source>Time (local)</source>
      <translation>时间（本地）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="20" />
      <source>User</source>
      <translation>用户</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="21" />
      <source>Role</source>
      <translation>角色</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="22" />
      <source>Action</source>
      <translation>操作</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="23" />
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="24" />
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="25" />
      <source>Old value</source>
      <translation>原值</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="26" />
      <source>New value</source>
      <translation>新值</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="27" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
  </context>
  <context>
    <name>AuditTrailWidget</name>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="133" />
      <source>Filter: user, field, value, reason…</source>
      <translation>筛选：用户、字段、数值、原因…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="138" />
      <source>All actions</source>
      <translation>全部操作</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="138" />
      <source>Logins</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="139" />
      <source>Enrolment</source>
      <translation>入组</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="139" />
      <source>Answers</source>
      <translation>回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="140" />
      <source>Clinical data</source>
      <translation>临床数据</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="141" />
      <source>Signatures</source>
      <translation>签名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="141" />
      <source>Visit signing</source>
      <translation>访视签名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="144" />
      <source>Export CSV…</source>
      <translation>导出 CSV…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="176" />
      <source>%1 entries</source>
      <translation>%1 条记录</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="184" />
      <source>Export audit trail</source>
      <translation>导出稽查轨迹</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/audit_view.py" line="185" />
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
  </context>
  <context>
    <name>ClinicalAssessmentForm</name>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="55" />
      <source>Save assessment</source>
      <translation>保存评估</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="74" />
      <source>Total bilirubin</source>
      <translation>总胆红素</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="74" />
      <source>Albumin</source>
      <translation>白蛋白</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="75" />
      <source>INR</source>
      <translation>INR</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="75" />
      <source>Creatinine</source>
      <translation>肌酐</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="76" />
      <source>Sodium</source>
      <translation>血钠</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="76" />
      <source>AFP (optional)</source>
      <translation>甲胎蛋白 AFP（可选）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="77" />
      <source>ALT (optional)</source>
      <translation>ALT（可选）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="77" />
      <source>AST (optional)</source>
      <translation>AST（可选）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="78" />
      <source>Platelets (optional)</source>
      <translation>血小板（可选）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="81" />
      <source>Laboratory</source>
      <translation>实验室检查</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="83" />
      <source>Sample date</source>
      <translation>采样日期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="108" />
      <source>Dialysis ≥ 2 times (or ≥ 24 h CVVHD) in the past week</source>
      <translation>过去一周透析 ≥ 2 次（或 CVVHD ≥ 24 小时）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="117" />
      <source>— not assessed —</source>
      <translation>— 未评估 —</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="125" />
      <source>Clinical assessment</source>
      <translation>临床评估</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="128" />
      <location filename="../../ui/nurse/clinical_form.py" line="131" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="128" />
      <source>slight (diuretic-responsive)</source>
      <translation>轻度（利尿剂有效）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="129" />
      <source>moderate–severe (tense / refractory)</source>
      <translation>中度–重度（张力性/难治性）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="131" />
      <source>grade 1–2</source>
      <translation>1–2 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="132" />
      <source>grade 3–4</source>
      <translation>3–4 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="133" />
      <source>Ascites</source>
      <translation>腹水</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="134" />
      <source>Hepatic encephalopathy (West Haven)</source>
      <translation>肝性脑病（West Haven）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="135" />
      <source>0 none</source>
      <translation>0 无</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="135" />
      <source>1 mild</source>
      <translation>1 轻度</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="135" />
      <source>2 moderate</source>
      <translation>2 中度</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="136" />
      <source>3 severe</source>
      <translation>3 重度</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="137" />
      <source>Appetite loss</source>
      <translation>食欲减退</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="137" />
      <source>Debilitation</source>
      <translation>乏力</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="138" />
      <source>Abdominal distension</source>
      <translation>腹胀</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="139" />
      <source>Lower-limb edema</source>
      <translation>下肢水肿</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="143" />
      <source>alive</source>
      <translation>存活</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="144" />
      <source>died</source>
      <translation>死亡</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="153" />
      <source>Vital status</source>
      <translation>生存状态</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="154" />
      <source>Date of death</source>
      <translation>死亡日期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="158" />
      <source>Imaging (optional)</source>
      <translation>影像学（可选）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="161" />
      <source>Liver size (cm)</source>
      <translation>肝脏大小（cm）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="162" />
      <source>Portal vein width (mm)</source>
      <translation>门静脉宽度（mm）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="163" />
      <source>Spleen size (cm)</source>
      <translation>脾脏大小（cm）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="172" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="172" />
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="172" />
      <source>not done</source>
      <translation>未做</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="173" />
      <source>New lesion suspicious for HCC</source>
      <translation>可疑肝癌新病灶</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="177" />
      <source>Liver scores (live)</source>
      <translation>肝脏评分（实时）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="225" />
      <source>%1: “%2” is not a number.</source>
      <translation>%1：“%2”不是数字。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="227" />
      <source>%1: unknown unit “%2”.</source>
      <translation>%1：未知单位“%2”。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="228" />
      <source>%1: %2 %3 is not plausible (plausible range %4–%5 %3). Check the value and its unit.</source>
      <translation>%1：%2 %3 不合理（合理范围 %4–%5 %3）。请检查数值及其单位。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="243" />
      <source>Imaging: “%1” is not a number.</source>
      <translation>影像学：“%1”不是数字。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="247" />
      <source>Imaging: %1 is outside %2–%3.</source>
      <translation>影像学：%1 超出 %2–%3。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="260" />
      <source>Child-Pugh</source>
      <translation>Child-Pugh</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/clinical_form.py" line="260" />
      <source>class %1</source>
      <translation>%1 级</translation>
    </message>
    <message>
      <source>uncapped</source>
      <translation>未封顶</translation>
    </message>
    <message>
      <source>Saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <source>Needs: %1</source>
      <translation>需要：%1</translation>
    </message>
    <message>
      <source>sex of the patient</source>
      <translation>患者性别</translation>
    </message>
    <message>
      <source>age of 12 years or more</source>
      <translation>年龄 12 岁及以上</translation>
    </message>
  </context>
  <context>
    <name>CorrectDialog</name>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="20" />
      <source>Correct an answer</source>
      <translation>更正回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="23" />
      <source>Transcription / entry error</source>
      <translation>转录/录入错误</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="24" />
      <source>Patient clarified the answer</source>
      <translation>患者澄清了回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="25" />
      <source>Entered for the wrong patient or visit</source>
      <translation>录入到了错误的患者或访视</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="26" />
      <source>Corrected from the source document</source>
      <translation>根据源文件更正</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="27" />
      <source>Other (explain)</source>
      <translation>其他（请说明）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="30" />
      <source>(not answered)</source>
      <translation>（未回答）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="36" />
      <source>— choose —</source>
      <translation>— 请选择 —</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="42" />
      <source>— choose a reason —</source>
      <translation>— 选择原因 —</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="45" />
      <source>Explain the correction and name the source (required)</source>
      <translation>说明更正原因并注明来源（必填）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="49" />
      <source>Item</source>
      <translation>条目</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="50" />
      <source>Current answer</source>
      <translation>当前回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="51" />
      <source>New answer</source>
      <translation>新回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="52" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="53" />
      <source>Details</source>
      <translation>详细说明</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="54" />
      <source>The original answer is kept in the audit trail. A signed visit will need a new signature.</source>
      <translation>原始回答保留在稽查轨迹中。已签名的访视需要重新签名。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="61" />
      <source>Save correction</source>
      <translation>保存更正</translation>
    </message>
  </context>
  <context>
    <name>EnrolDialog</name>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="26" />
      <source>Enrol a patient</source>
      <translation>入组患者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="54" />
      <source>Enrol</source>
      <translation>入组</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="74" />
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="90" />
      <source>female</source>
      <translation>女</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="91" />
      <source>male</source>
      <translation>男</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="93" />
      <location filename="../../ui/nurse/enrol_dialog.py" line="101" />
      <location filename="../../ui/nurse/enrol_dialog.py" line="153" />
      <source>— choose —</source>
      <translation>— 请选择 —</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="107" />
      <source>Subject id</source>
      <translation>受试者编号</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="108" />
      <source>Screening number</source>
      <translation>筛选号</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="109" />
      <source>Full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="110" />
      <source>Initials</source>
      <translation>姓名缩写</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="111" />
      <source>Sex</source>
      <translation>性别</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="112" />
      <source>Date of birth</source>
      <translation>出生日期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="113" />
      <source>Arm</source>
      <translation>组别</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="114" />
      <source>Consent date</source>
      <translation>知情同意日期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="115" />
      <source>Day 1 (first infusion)</source>
      <translation>第 1 天（首次输注）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="119" />
      <source>Screening labs</source>
      <translation>筛选期化验</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="121" />
      <source>Total bilirubin</source>
      <translation>总胆红素</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="121" />
      <source>Albumin</source>
      <translation>白蛋白</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="122" />
      <source>INR</source>
      <translation>INR</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="122" />
      <source>Creatinine</source>
      <translation>肌酐</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="123" />
      <source>Sodium</source>
      <translation>血钠</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="143" />
      <location filename="../../ui/nurse/enrol_dialog.py" line="148" />
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="143" />
      <source>slight</source>
      <translation>轻度</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="144" />
      <source>moderate–severe</source>
      <translation>中度–重度</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="148" />
      <source>grade 1–2</source>
      <translation>1–2 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="149" />
      <source>grade 3–4</source>
      <translation>3–4 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="156" />
      <source>Ascites</source>
      <translation>腹水</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="158" />
      <source>Hepatic encephalopathy</source>
      <translation>肝性脑病</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="168" />
      <source>Age 18 to 70 years at screening</source>
      <translation>筛选时年龄 18 至 70 岁</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="169" />
      <source>Decompensated cirrhosis: Child-Pugh 7–12 points or MELD ≤ 21 (computed from the labs)</source>
      <translation>失代偿期肝硬化：Child-Pugh 7–12 分或 MELD ≤ 21（由化验结果计算）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="171" />
      <source>Life expectancy more than 2 months</source>
      <translation>预期寿命超过 2 个月</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="172" />
      <source>Chronic hepatitis B, on antiviral treatment</source>
      <translation>慢性乙型肝炎，正在接受抗病毒治疗</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="173" />
      <source>Hepatocellular carcinoma or other active malignancy, or a liver lesion suspicious for HCC on imaging</source>
      <translation>肝细胞癌或其他活动性恶性肿瘤，或影像学提示可疑肝癌病灶</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="175" />
      <source>Gastrointestinal (variceal) bleeding within the past 2 months</source>
      <translation>过去 2 个月内有消化道（静脉曲张）出血</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="176" />
      <source>Uncontrolled infection, including spontaneous bacterial peritonitis or sepsis</source>
      <translation>未控制的感染，包括自发性细菌性腹膜炎或脓毒症</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="178" />
      <source>Hepatorenal syndrome or severe renal impairment (e.g. on dialysis)</source>
      <translation>肝肾综合征或严重肾功能损害（如透析）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="179" />
      <source>Severe heart, lung or other organ failure (e.g. heart failure NYHA III–IV)</source>
      <translation>严重心、肺或其他器官衰竭（如心力衰竭 NYHA III–IV 级）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="181" />
      <source>Hepatic encephalopathy grade 3–4 at screening</source>
      <translation>筛选时肝性脑病 3–4 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="182" />
      <source>Co-infection with HCV, HDV or HIV, or another primary liver disease (autoimmune, alcoholic with current drinking, Wilson, etc.)</source>
      <translation>合并 HCV、HDV 或 HIV 感染，或其他原发性肝病（自身免疫性、仍在饮酒的酒精性、肝豆状核变性等）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="184" />
      <source>Pregnancy, breast-feeding, or not willing to use contraception during the study</source>
      <translation>妊娠、哺乳，或研究期间不愿避孕</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="186" />
      <source>Previous liver transplantation, previous stem-cell therapy, or another interventional trial within the past 3 months</source>
      <translation>既往肝移植、既往干细胞治疗，或过去 3 个月内参加其他干预性试验</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="192" />
      <source>Eligibility checklist</source>
      <translation>入选资格核对表</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="198" />
      <source>Inclusion criteria (all must be met)</source>
      <translation>入选标准（须全部符合）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="199" />
      <source>Exclusion criteria (none may apply) — placeholder texts, to be confirmed against the protocol</source>
      <translation>排除标准（均不得符合）— 占位文本，须按方案核实</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="217" />
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="218" />
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="220" />
      <source>—</source>
      <translation>—</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="225" />
      <source>computed</source>
      <translation>自动计算</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="230" />
      <source>Investigator override (only when not eligible)</source>
      <translation>研究者豁免（仅在不符合条件时）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="242" />
      <source>Investigator user name</source>
      <translation>研究者用户名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="243" />
      <source>Investigator password</source>
      <translation>研究者密码</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="244" />
      <source>Reason for enrolling despite the checklist</source>
      <translation>不符合核对表仍入组的原因</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="260" />
      <source>not plausible</source>
      <translation>不合理</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="263" />
      <source>Child-Pugh: %1   MELD: %2</source>
      <translation>Child-Pugh：%1   MELD：%2</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="278" />
      <source>Eligible.</source>
      <translation>符合入选条件。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="281" />
      <source>Not eligible (%1). Enrolment needs an investigator override with a reason.</source>
      <translation>不符合条件（%1）。入组需要研究者豁免并说明原因。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="284" />
      <source>Checklist incomplete: %1 open.</source>
      <translation>核对表未完成：尚有 %1 项。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/enrol_dialog.py" line="302" />
      <source>Override not confirmed: an investigator's user name and password are required.</source>
      <translation>未确认豁免：需要研究者的用户名和密码。</translation>
    </message>
    <message>
      <source>not known</source>
      <translation>不详</translation>
    </message>
    <message>
      <source>Screening date</source>
      <translation>筛选日期</translation>
    </message>
    <message>
      <source>Assigned from the concealed allocation list when the patient is enrolled.</source>
      <translation>入组时由隐藏的分配表自动分配。</translation>
    </message>
    <message>
      <source>Screening labs (Child-Pugh and MELD are computed)</source>
      <translation>筛选期化验（Child-Pugh 和 MELD 由系统计算）</translation>
    </message>
    <message>
      <source>Eligibility (protocol %1, version %2)</source>
      <translation>入选资格（方案 %1，版本 %2）</translation>
    </message>
    <message>
      <source>ascites</source>
      <translation>腹水</translation>
    </message>
    <message>
      <source>variceal bleeding</source>
      <translation>静脉曲张出血</translation>
    </message>
    <message>
      <source>encephalopathy</source>
      <translation>肝性脑病</translation>
    </message>
    <message>
      <source>jaundice</source>
      <translation>黄疸</translation>
    </message>
    <message>
      <source>Decompensated cirrhosis</source>
      <translation>失代偿期肝硬化</translation>
    </message>
    <message>
      <source>Decompensation events</source>
      <translation>失代偿事件</translation>
    </message>
    <message>
      <source>Expected lifetime over 2 months</source>
      <translation>预计生存期超过 2 个月</translation>
    </message>
    <message>
      <source>Hepatitis B</source>
      <translation>乙型肝炎</translation>
    </message>
    <message>
      <source>On antiviral therapy</source>
      <translation>正在接受抗病毒治疗</translation>
    </message>
    <message>
      <source>Exclusion criteria (none may apply) — does it apply?</source>
      <translation>排除标准（任何一条都不得符合）— 是否符合？</translation>
    </message>
    <message>
      <source>Investigator override (only when not eligible or undetermined)</source>
      <translation>研究者特批（仅在不符合或尚未确定时）</translation>
    </message>
    <message>
      <source>Reason for enrolling despite the screening result</source>
      <translation>不顾筛选结果仍予入组的原因</translation>
    </message>
    <message>
      <source>Not eligible: %1. Enrolment needs an investigator override with a reason.</source>
      <translation>不符合入选条件：%1。入组需要研究者特批并说明原因。</translation>
    </message>
    <message>
      <source>Not decided yet (%1 open): %2</source>
      <translation>尚未确定（%1 项待定）：%2</translation>
    </message>
  </context>
  <context>
    <name>LoginWidget</name>
    <message>
      <location filename="../../ui/nurse/login.py" line="45" />
      <source>ePRO Desk — staff login</source>
      <translation>ePRO Desk — 工作人员登录</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="54" />
      <location filename="../../ui/nurse/login.py" line="71" />
      <source>User name</source>
      <translation>用户名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="58" />
      <location filename="../../ui/nurse/login.py" line="72" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="61" />
      <source>Log in</source>
      <translation>登录</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="82" />
      <source>After 5 failed attempts an account is locked for 15 minutes.</source>
      <translation>连续 5 次失败后，账户将被锁定 15 分钟。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="110" />
      <source>Demo mode — made-up data. Demo accounts:</source>
      <translation>演示模式 — 虚构数据。演示账户：</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="116" />
      <source>Use</source>
      <translation>使用</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="123" />
      <source>study nurse</source>
      <translation>研究护士</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="123" />
      <source>investigator</source>
      <translation>研究者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="124" />
      <source>administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="152" />
      <source>Enter your user name and password.</source>
      <translation>请输入用户名和密码。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="156" />
      <source>Checking…</source>
      <translation>正在验证…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="177" />
      <source>Login is not possible right now: %1</source>
      <translation>目前无法登录：%1</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/login.py" line="183" />
      <source>Login failed: user name or password not recognised, or the account is locked. After 5 failed attempts an account is locked for 15 minutes.</source>
      <translation>登录失败：用户名或密码无法识别，或账户已锁定。连续 5 次失败后，账户将被锁定 15 分钟。</translation>
    </message>
  </context>
  <context>
    <name>NurseMainWindow</name>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="142" />
      <source>ePRO Desk — staff workstation</source>
      <translation>ePRO Desk — 工作人员工作站</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="161" />
      <source>study nurse</source>
      <translation>研究护士</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="161" />
      <source>investigator</source>
      <translation>研究者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="162" />
      <source>administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="163" />
      <source>%1 — role: %2</source>
      <translation>%1 — 角色：%2</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="181" />
      <source>Administrators manage users, stations and study settings; they cannot see or edit clinical data.</source>
      <translation>管理员管理用户、工作站和研究设置；不能查看或编辑临床数据。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="205" />
      <source>You were logged out after a period of inactivity.</source>
      <translation>由于一段时间无操作，您已被自动退出登录。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="212" />
      <source>Something went wrong; nothing was changed. (%1)</source>
      <translation>出现错误；未做任何更改。（%1）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="243" />
      <source>Loading…</source>
      <translation>正在加载…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="294" />
      <source>Patient %1 enrolled; visit schedule created.</source>
      <translation>患者 %1 已入组；访视计划已生成。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="300" />
      <source>Select a visit first.</source>
      <translation>请先选择访视。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="307" />
      <source>Clinical assessment saved.</source>
      <translation>临床评估已保存。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="328" />
      <source>Correction saved with its reason.</source>
      <translation>更正及其原因已保存。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="355" />
      <source>Visit signed.</source>
      <translation>访视已签名。</translation>
    </message>
    <message>
      <source>eligible</source>
      <translation>符合</translation>
    </message>
    <message>
      <source>not eligible (override)</source>
      <translation>不符合（特批）</translation>
    </message>
    <message>
      <source>not decided (override)</source>
      <translation>未确定（特批）</translation>
    </message>
    <message>
      <source>Patient %1 enrolled: %2, screening %3; visit schedule created.</source>
      <translation>患者 %1 已入组：%2，筛选结果%3；已生成访视计划。</translation>
    </message>
    <message>
      <source>Allocation number %1.</source>
      <translation>分配号 %1。</translation>
    </message>
    <message>
      <source>No changes to save.</source>
      <translation>没有需要保存的更改。</translation>
    </message>
    <message>
      <source>Not saved and discarded: %1.</source>
      <translation>未保存，已丢弃：%1。</translation>
    </message>
  </context>
  <context>
    <name>PatientTable</name>
    <message>
      <source>(+%1 more)</source>
      <translation>（另有 %1 条）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="22" />
      <source>not yet due</source>
      <translation>未到期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="23" />
      <source>due</source>
      <translation>到期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="24" />
      <source>overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="25" />
      <source>done in window</source>
      <translation>窗口内完成</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="26" />
      <source>out of window</source>
      <translation>超出窗口</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="30" />
      <source>RED</source>
      <translation>红色</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="31" />
      <source>amber</source>
      <translation>黄色</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="51" />
      <source>Subject</source>
      <translation>受试者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="52" />
      <source>Initials</source>
      <translation>姓名缩写</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="53" />
      <source>Arm</source>
      <translation>组别</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="54" />
      <source>Next visit</source>
      <translation>下次访视</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="55" />
      <source>Window</source>
      <translation>窗口</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="56" />
      <source>PCS</source>
      <translation>PCS</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="57" />
      <source>MCS</source>
      <translation>MCS</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="58" />
      <source>RSS</source>
      <translation>RSS</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/patient_table.py" line="59" />
      <source>Alerts</source>
      <translation>警报</translation>
    </message>
  </context>
  <context>
    <name>ReviewWidget</name>
    <message>
      <source>Child-Pugh</source>
      <translation>Child-Pugh</translation>
    </message>
    <message>
      <source>class %1</source>
      <translation>%1 级</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="22" />
      <source>reviewed and approved</source>
      <translation>已审阅并批准</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="23" />
      <source>reviewed</source>
      <translation>已审阅</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="40" />
      <source>No.</source>
      <translation>序号</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="40" />
      <source>Question (as shown)</source>
      <translation>问题（按显示）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="41" />
      <source>Answer</source>
      <translation>回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="41" />
      <source>Changes</source>
      <translation>修改次数</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="57" />
      <source>Correct selected answer…</source>
      <translation>更正所选回答…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="61" />
      <source>Sign visit…</source>
      <translation>访视签名…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="71" />
      <source>Audit history of the selected answer</source>
      <translation>所选回答的稽查历史</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="92" />
      <source>Only an investigator can sign.</source>
      <translation>只有研究者可以签名。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="122" />
      <source>submitted %1</source>
      <translation>提交于 %1</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="128" />
      <source>text %1</source>
      <translation>文本 %1</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="127" />
      <source>submitted</source>
      <translation>已提交</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="127" />
      <source>in progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="128" />
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="131" />
      <source>skipped: prefers not to answer</source>
      <translation>跳过：不愿回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="132" />
      <source>skipped: does not understand</source>
      <translation>跳过：不理解</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="133" />
      <source>skipped: not applicable</source>
      <translation>跳过：不适用</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="134" />
      <source>skipped: %1</source>
      <translation>跳过：%1</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="138" />
      <source>not applicable (not shown)</source>
      <translation>不适用（未显示）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="142" />
      <source>not answered</source>
      <translation>未回答</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="179" />
      <source>Symptom vs baseline</source>
      <translation>症状与基线相比</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="201" />
      <source>Completed in under 2 minutes (%1 s)</source>
      <translation>完成用时不足 2 分钟（%1 秒）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="203" />
      <source>Identical answers in block %1 (%2 items, all code %3)</source>
      <translation>题组 %1 的回答完全相同（%2 题，均为代码 %3）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="211" />
      <source>Not signed yet.</source>
      <translation>尚未签名。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="214" />
      <source>Signed by %1 on %2 — meaning: %3</source>
      <translation>%1 于 %2 签名 — 含义：%3</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="219" />
      <source>Re-signature required</source>
      <translation>需要重新签名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="220" />
      <source>invalidated</source>
      <translation>已失效</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/review.py" line="250" />
      <source>No changes after submission.</source>
      <translation>提交后无修改。</translation>
    </message>
    <message>
      <source>RAND-36 (0–100)</source>
      <translation>RAND-36 (0–100)</translation>
    </message>
    <message>
      <source>SF-36 v1 (0–100)</source>
      <translation>SF-36 v1 (0–100)</translation>
    </message>
    <message>
      <source>norm-based, mean 50</source>
      <translation>常模标准化，均值 50</translation>
    </message>
    <message>
      <source>Change from baseline</source>
      <translation>较基线变化</translation>
    </message>
    <message>
      <source>ALERT</source>
      <translation>警报</translation>
    </message>
    <message>
      <source>Study-specific checklist, not yet validated.</source>
      <translation>研究专用核对表，尚未经验证。</translation>
    </message>
    <message>
      <source>Clinician assessment</source>
      <translation>临床医生评估</translation>
    </message>
    <message>
      <source>History of the selected answer</source>
      <translation>所选回答的历史</translation>
    </message>
    <message>
      <source>Identical answers to items %1 (%2 items, all “%3”)</source>
      <translation>条目 %1 的回答完全相同（%2 个条目，均为“%3”）</translation>
    </message>
    <message>
      <source>Unusual answering pattern</source>
      <translation>异常的作答模式</translation>
    </message>
    <message>
      <source>English</source>
      <translation>英文</translation>
    </message>
    <message>
      <source>Simplified Chinese</source>
      <translation>简体中文</translation>
    </message>
    <message>
      <source>History of the selected value</source>
      <translation>所选数值的历史</translation>
    </message>
  </context>
  <context>
    <name>SignDialog</name>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="95" />
      <source>Sign visit</source>
      <translation>访视签名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="98" />
      <source>I, %1, have reviewed the data of visit %2 for subject %3 and approve them. Meaning of this signature: %4.</source>
      <translation>本人 %1 已审阅受试者 %3 访视 %2 的数据并予以批准。签名含义：%4。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="113" />
      <source>Signer</source>
      <translation>签名人</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="114" />
      <source>Time (now)</source>
      <translation>时间（现在）</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="115" />
      <source>Meaning</source>
      <translation>含义</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="116" />
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/dialogs.py" line="124" />
      <source>Sign</source>
      <translation>签名</translation>
    </message>
    <message>
      <source>reviewed and approved</source>
      <translation>已审阅并批准</translation>
    </message>
  </context>
  <context>
    <name>VisitPanel</name>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="26" />
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="26" />
      <source>Target date</source>
      <translation>目标日期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="27" />
      <source>Window</source>
      <translation>窗口</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="27" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="28" />
      <source>Window status</source>
      <translation>窗口状态</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="39" />
      <source>Hand kiosk to patient</source>
      <translation>将终端交给患者</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="54" />
      <source>planned</source>
      <translation>已计划</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="54" />
      <source>in progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="55" />
      <source>completed</source>
      <translation>已完成</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="55" />
      <source>signed</source>
      <translation>已签名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="56" />
      <source>missed</source>
      <translation>缺失</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="59" />
      <source>not yet due</source>
      <translation>未到期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="59" />
      <source>due</source>
      <translation>到期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="60" />
      <source>overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="60" />
      <source>in window</source>
      <translation>窗口内</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="61" />
      <source>out of window</source>
      <translation>超出窗口</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="100" />
      <source>Cirrhosis symptom checklist</source>
      <translation>肝硬化症状核对表</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="105" />
      <source>not started</source>
      <translation>未开始</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="107" />
      <source>submitted</source>
      <translation>已提交</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/visit_panel.py" line="109" />
      <source>in progress (%1 of %2)</source>
      <translation>进行中（%1/%2）</translation>
    </message>
    <message>
      <source>re-signature required</source>
      <translation>需要重新签名</translation>
    </message>
    <message>
      <source>Not done — %1</source>
      <translation>未完成 — %1</translation>
    </message>
  </context>
  <context>
    <name>WorkArea</name>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="40" />
      <source>Log out</source>
      <translation>退出登录</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="44" />
      <source>Search subject id or name</source>
      <translation>搜索受试者编号或姓名</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="49" />
      <source>All arms</source>
      <translation>全部组别</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="52" />
      <source>Alerts</source>
      <translation>警报</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="54" />
      <source>Overdue</source>
      <translation>已逾期</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="56" />
      <source>Enrol patient…</source>
      <translation>入组患者…</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="75" />
      <source>Select a patient.</source>
      <translation>请选择患者。</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="88" />
      <source>Visits</source>
      <translation>访视</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="89" />
      <source>Clinical assessment</source>
      <translation>临床评估</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="90" />
      <source>Review</source>
      <translation>审阅</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="91" />
      <source>Trends</source>
      <translation>趋势</translation>
    </message>
    <message>
      <location filename="../../ui/nurse/main_window.py" line="92" />
      <source>Audit trail</source>
      <translation>稽查轨迹</translation>
    </message>
    <message>
      <source>%1 · no visit selected</source>
      <translation>%1 · 未选择访视</translation>
    </message>
    <message>
      <source>%1 · %2 (day %3)</source>
      <translation>%1 · %2（第 %3 天）</translation>
    </message>
  </context>
  <context>
    <name>Trends</name>
    <message>
      <source>SF-36 scales (T-score)</source>
      <translation>SF-36 各维度（T 分）</translation>
    </message>
    <message>
      <source>SF-36 PCS and MCS</source>
      <translation>SF-36 PCS 与 MCS</translation>
    </message>
    <message>
      <source>CSC: RSS and core symptoms</source>
      <translation>CSC：RSS 与核心症状</translation>
    </message>
    <message>
      <source>points</source>
      <translation>分</translation>
    </message>
    <message>
      <source>RSS (0–16)</source>
      <translation>RSS（0–16）</translation>
    </message>
    <message>
      <source>appetite</source>
      <translation>食欲</translation>
    </message>
    <message>
      <source>tiredness</source>
      <translation>疲乏</translation>
    </message>
    <message>
      <source>belly swelling</source>
      <translation>腹胀</translation>
    </message>
    <message>
      <source>leg swelling</source>
      <translation>腿肿</translation>
    </message>
    <message>
      <source>CSC: total symptom burden</source>
      <translation>CSC：总症状负担</translation>
    </message>
    <message>
      <source>TSB (0–100)</source>
      <translation>TSB（0–100）</translation>
    </message>
    <message>
      <source>Child-Pugh and MELD</source>
      <translation>Child-Pugh 与 MELD</translation>
    </message>
    <message>
      <source>population mean 50</source>
      <translation>人群均值 50</translation>
    </message>
  </context>
  <context>
    <name>AlertsNotice</name>
    <message>
      <source>The alert could not be acknowledged: %1</source>
      <translation>无法确认该警示：%1</translation>
    </message>
    <message>
      <source>Acknowledged (recorded in the audit trail).</source>
      <translation>已确认（已记录在稽查轨迹中）。</translation>
    </message>
    <message>
      <source>Alerts not acknowledged yet: %1. From patients' answers (warning signs): %2. From data entered by staff (adverse events, deaths, liver cancer, Child-Pugh): %3.</source>
      <translation>尚未确认的警示：%1 条。来自患者的回答（警示征象）：%2 条。来自工作人员录入的数据（不良事件、死亡、肝癌、Child-Pugh）：%3 条。</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Acknowledge selected alert</source>
      <translation>确认所选警示</translation>
    </message>
    <message>
      <source>Note (optional), e.g. what was done</source>
      <translation>备注（可选），例如采取了什么措施</translation>
    </message>
    <message>
      <source>Unacknowledged alerts</source>
      <translation>未确认的警示</translation>
    </message>
  </context>
  <context>
    <name>KioskPinDialog</name>
    <message>
      <source>Set my kiosk PIN…</source>
      <translation>设置我的自助终端 PIN 码…</translation>
    </message>
    <message>
      <source>Account</source>
      <translation>账户</translation>
    </message>
    <message>
      <source>The PIN could not be set (%1).</source>
      <translation>无法设置 PIN 码（%1）。</translation>
    </message>
    <message>
      <source>The password is wrong, or the account is locked; the PIN was not set.</source>
      <translation>密码错误或账户已被锁定；PIN 码未设置。</translation>
    </message>
    <message>
      <source>Your kiosk PIN was set.</source>
      <translation>您的自助终端 PIN 码已设置。</translation>
    </message>
    <message>
      <source>The two PINs differ.</source>
      <translation>两次输入的 PIN 码不一致。</translation>
    </message>
    <message>
      <source>New PIN again</source>
      <translation>再次输入新 PIN 码</translation>
    </message>
    <message>
      <source>New PIN</source>
      <translation>新 PIN 码</translation>
    </message>
    <message>
      <source>Your password</source>
      <translation>您的密码</translation>
    </message>
    <message>
      <source>The PIN unlocks the patient kiosk by touch with your account. Use %1 to %2 digits; simple PINs such as 1234 or 0000 are refused.</source>
      <translation>PIN 码用于以您的账户通过触屏解锁患者自助终端。请使用 %1 到 %2 位数字；1234 或 0000 等简单 PIN 码会被拒绝。</translation>
    </message>
    <message>
      <source>Set my kiosk PIN</source>
      <translation>设置我的自助终端 PIN 码</translation>
    </message>
    <message>
      <source>The PIN may not be a repeated pair (such as 1212).</source>
      <translation>PIN 码不能是重复的两位数（例如 1212）。</translation>
    </message>
    <message>
      <source>The PIN may not be a run of digits (such as 1234 or 9876).</source>
      <translation>PIN 码不能是连续数字（例如 1234 或 9876）。</translation>
    </message>
    <message>
      <source>The PIN may not be one digit repeated (such as 0000).</source>
      <translation>PIN 码不能是同一数字重复（例如 0000）。</translation>
    </message>
    <message>
      <source>The PIN may have at most %2 digits.</source>
      <translation>PIN 码最多 %2 位数字。</translation>
    </message>
    <message>
      <source>The PIN needs at least %1 digits.</source>
      <translation>PIN 码至少需要 %1 位数字。</translation>
    </message>
    <message>
      <source>The PIN may contain digits only.</source>
      <translation>PIN 码只能包含数字。</translation>
    </message>
  </context>
  <context>
    <name>ValueHistoryPane</name>
    <message>
      <source>study nurse</source>
      <translation>研究护士</translation>
    </message>
    <message>
      <source>investigator</source>
      <translation>研究者</translation>
    </message>
    <message>
      <source>administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <source>Nothing stored for this value.</source>
      <translation>此项没有保存的数值。</translation>
    </message>
    <message>
      <source>As entered by the patient: %1 — %2</source>
      <translation>患者原始录入：%1 — %2</translation>
    </message>
    <message>
      <source>As entered by %1 (%2): %3 — %4</source>
      <translation>由 %1（%2）录入：%3 — %4</translation>
    </message>
    <message>
      <source>Corrected by %1 (%2) on %3: %4 → %5. Reason: %6</source>
      <translation>由 %1（%2）于 %3 更正：%4 → %5。理由：%6</translation>
    </message>
    <message>
      <source>No changes after submission.</source>
      <translation>提交后无更改。</translation>
    </message>
    <message>
      <source>Current: %1</source>
      <translation>当前：%1</translation>
    </message>
  </context>
  <context>
    <name>SessionGuard</name>
    <message>
      <source>You have not used the workstation for a while. Move the mouse or press a key to stay logged in.</source>
      <translation>您已有一段时间未使用工作站。移动鼠标或按任意键即可保持登录。</translation>
    </message>
    <message>
      <source>Unsaved entries (%1) will be discarded at logout.</source>
      <translation>退出登录时，未保存的内容（%1）将被丢弃。</translation>
    </message>
    <message>
      <source>clinical assessment</source>
      <translation>临床评估</translation>
    </message>
    <message>
      <source>enrolment</source>
      <translation>入组</translation>
    </message>
    <message>
      <source>answer correction</source>
      <translation>回答更正</translation>
    </message>
    <message>
      <source>clinical assessment change</source>
      <translation>临床评估修改</translation>
    </message>
  </context>
  <context>
    <name>IdleWarningDialog</name>
    <message>
      <source>Still there?</source>
      <translation>您还在吗？</translation>
    </message>
    <message>
      <source>Stay logged in</source>
      <translation>保持登录</translation>
    </message>
    <message>
      <source>Logging out in %1 s</source>
      <translation>%1 秒后退出登录</translation>
    </message>
  </context>
  <context>
    <name>AdminUsersWidget</name>
    <message>
      <source>Reason (required to deactivate, re-activate, unlock, reset a password)</source>
      <translation>原因（停用、重新启用、解锁、重置密码时必填）</translation>
    </message>
    <message>
      <source>Reset the selected account's password</source>
      <translation>重置所选账户的密码</translation>
    </message>
    <message>
      <source>Set temporary password</source>
      <translation>设置临时密码</translation>
    </message>
    <message>
      <source>Temporary password</source>
      <translation>临时密码</translation>
    </message>
    <message>
      <source>Temporary password set. Give it to the account's owner in person; they must choose a new one at their next login.</source>
      <translation>已设置临时密码。请当面交给账户本人；其下次登录时必须设置新密码。</translation>
    </message>
    <message>
      <source>active, must change password</source>
      <translation>启用，须修改密码</translation>
    </message>
  </context>
  <context>
    <name>AuditText</name>
    <message>
      <source>"This is not me" at the kiosk</source>
      <translation>在自助终端选择“这不是我”</translation>
    </message>
    <message>
      <source>Alert acknowledged</source>
      <translation>警示已确认</translation>
    </message>
    <message>
      <source>Alert raised</source>
      <translation>产生警示</translation>
    </message>
    <message>
      <source>Answer corrected</source>
      <translation>答案已更正</translation>
    </message>
    <message>
      <source>Answer saved</source>
      <translation>答案已保存</translation>
    </message>
    <message>
      <source>Arm corrected</source>
      <translation>组别已更正</translation>
    </message>
    <message>
      <source>Audit trail exported</source>
      <translation>稽查轨迹已导出</translation>
    </message>
    <message>
      <source>Clinical assessment corrected</source>
      <translation>临床评估已更正</translation>
    </message>
    <message>
      <source>Clinical assessment saved</source>
      <translation>临床评估已保存</translation>
    </message>
    <message>
      <source>Data exported</source>
      <translation>数据已导出</translation>
    </message>
    <message>
      <source>Early-termination visit added</source>
      <translation>已添加提前终止访视</translation>
    </message>
    <message>
      <source>Eligibility overridden</source>
      <translation>入选资格已被否决覆盖</translation>
    </message>
    <message>
      <source>Logged in</source>
      <translation>已登录</translation>
    </message>
    <message>
      <source>Logged out</source>
      <translation>已登出</translation>
    </message>
    <message>
      <source>Out-of-window reason</source>
      <translation>超窗原因</translation>
    </message>
    <message>
      <source>Patient enrolled</source>
      <translation>患者已入组</translation>
    </message>
    <message>
      <source>Patients imported</source>
      <translation>患者已导入</translation>
    </message>
    <message>
      <source>Question skipped</source>
      <translation>题目已跳过</translation>
    </message>
    <message>
      <source>Questionnaire interrupted</source>
      <translation>问卷已中断</translation>
    </message>
    <message>
      <source>Questionnaire started</source>
      <translation>问卷已开始</translation>
    </message>
    <message>
      <source>Questionnaire submitted</source>
      <translation>问卷已提交</translation>
    </message>
    <message>
      <source>Unscheduled visit added</source>
      <translation>已添加计划外访视</translation>
    </message>
    <message>
      <source>Visit locked</source>
      <translation>访视已锁定</translation>
    </message>
    <message>
      <source>Visit signed</source>
      <translation>访视已签名</translation>
    </message>
    <message>
      <source>answer</source>
      <translation>答案</translation>
    </message>
    <message>
      <source>answered</source>
      <translation>已回答</translation>
    </message>
    <message>
      <source>arm</source>
      <translation>组别</translation>
    </message>
    <message>
      <source>ascites</source>
      <translation>腹水</translation>
    </message>
    <message>
      <source>completed</source>
      <translation>已完成</translation>
    </message>
    <message>
      <source>derived scores</source>
      <translation>推导评分</translation>
    </message>
    <message>
      <source>encephalopathy</source>
      <translation>肝性脑病</translation>
    </message>
    <message>
      <source>imaging</source>
      <translation>影像学</translation>
    </message>
    <message>
      <source>in progress</source>
      <translation>进行中</translation>
    </message>
    <message>
      <source>interrupted</source>
      <translation>已中断</translation>
    </message>
    <message>
      <source>invalidated</source>
      <translation>已失效</translation>
    </message>
    <message>
      <source>laboratory values</source>
      <translation>实验室检查值</translation>
    </message>
    <message>
      <source>no</source>
      <translation>否</translation>
    </message>
    <message>
      <source>not applicable</source>
      <translation>不适用</translation>
    </message>
    <message>
      <source>planned</source>
      <translation>计划中</translation>
    </message>
    <message>
      <source>re-signature required</source>
      <translation>需重新签名</translation>
    </message>
    <message>
      <source>reason for skipping</source>
      <translation>跳过原因</translation>
    </message>
    <message>
      <source>sample date</source>
      <translation>采样日期</translation>
    </message>
    <message>
      <source>signed</source>
      <translation>已签名</translation>
    </message>
    <message>
      <source>skipped</source>
      <translation>已跳过</translation>
    </message>
    <message>
      <source>status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>submitted</source>
      <translation>已提交</translation>
    </message>
    <message>
      <source>symptom grades</source>
      <translation>症状分级</translation>
    </message>
    <message>
      <source>valid</source>
      <translation>有效</translation>
    </message>
    <message>
      <source>vital status</source>
      <translation>生存状态</translation>
    </message>
    <message>
      <source>yes</source>
      <translation>是</translation>
    </message>
    <message>
      <source>questionnaire record</source>
      <translation>问卷记录</translation>
    </message>
    <message>
      <source>questionnaire</source>
      <translation>问卷</translation>
    </message>
    <message>
      <source>questionnaire version</source>
      <translation>问卷版本</translation>
    </message>
    <message>
      <source>question</source>
      <translation>题目</translation>
    </message>
    <message>
      <source>answered at</source>
      <translation>回答时间</translation>
    </message>
    <message>
      <source>saved at</source>
      <translation>保存时间</translation>
    </message>
    <message>
      <source>number of changes</source>
      <translation>修改次数</translation>
    </message>
    <message>
      <source>time on the question (ms)</source>
      <translation>答题用时（毫秒）</translation>
    </message>
    <message>
      <source>content fingerprint (SHA-256)</source>
      <translation>内容指纹（SHA-256）</translation>
    </message>
    <message>
      <source>language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>text version</source>
      <translation>文本版本</translation>
    </message>
    <message>
      <source>text fingerprint (SHA-256)</source>
      <translation>文本指纹（SHA-256）</translation>
    </message>
    <message>
      <source>started at</source>
      <translation>开始时间</translation>
    </message>
    <message>
      <source>submitted at</source>
      <translation>提交时间</translation>
    </message>
    <message>
      <source>station</source>
      <translation>工作站</translation>
    </message>
    <message>
      <source>entered by</source>
      <translation>录入方</translation>
    </message>
    <message>
      <source>entered for the patient by</source>
      <translation>代患者录入者</translation>
    </message>
    <message>
      <source>reason for entering for the patient</source>
      <translation>代录原因</translation>
    </message>
    <message>
      <source>patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <source>order</source>
      <translation>顺序</translation>
    </message>
    <message>
      <source>target study day</source>
      <translation>目标研究日</translation>
    </message>
    <message>
      <source>window before (days)</source>
      <translation>窗口前（天）</translation>
    </message>
    <message>
      <source>window after (days)</source>
      <translation>窗口后（天）</translation>
    </message>
    <message>
      <source>planned date</source>
      <translation>计划日期</translation>
    </message>
    <message>
      <source>visit date</source>
      <translation>访视日期</translation>
    </message>
    <message>
      <source>out of window</source>
      <translation>超窗</translation>
    </message>
    <message>
      <source>out-of-window reason</source>
      <translation>超窗原因</translation>
    </message>
    <message>
      <source>reason for the unscheduled visit</source>
      <translation>计划外访视原因</translation>
    </message>
    <message>
      <source>locked at</source>
      <translation>锁定时间</translation>
    </message>
    <message>
      <source>locked by</source>
      <translation>锁定者</translation>
    </message>
    <message>
      <source>lock reason</source>
      <translation>锁定原因</translation>
    </message>
    <message>
      <source>dialysis</source>
      <translation>透析</translation>
    </message>
    <message>
      <source>Child-Pugh variant</source>
      <translation>Child-Pugh 变体</translation>
    </message>
    <message>
      <source>entered at</source>
      <translation>录入时间</translation>
    </message>
    <message>
      <source>signer account</source>
      <translation>签名账户</translation>
    </message>
    <message>
      <source>signer</source>
      <translation>签名人</translation>
    </message>
    <message>
      <source>meaning</source>
      <translation>签名含义</translation>
    </message>
    <message>
      <source>signed at</source>
      <translation>签名时间</translation>
    </message>
    <message>
      <source>invalidated at</source>
      <translation>失效时间</translation>
    </message>
    <message>
      <source>reason invalidated</source>
      <translation>失效原因</translation>
    </message>
    <message>
      <source>study</source>
      <translation>研究</translation>
    </message>
    <message>
      <source>site</source>
      <translation>中心</translation>
    </message>
    <message>
      <source>subject id</source>
      <translation>受试者编号</translation>
    </message>
    <message>
      <source>screening number</source>
      <translation>筛选号</translation>
    </message>
    <message>
      <source>initials</source>
      <translation>姓名缩写</translation>
    </message>
    <message>
      <source>sex</source>
      <translation>性别</translation>
    </message>
    <message>
      <source>birth year</source>
      <translation>出生年份</translation>
    </message>
    <message>
      <source>consent date</source>
      <translation>知情同意日期</translation>
    </message>
    <message>
      <source>day 1</source>
      <translation>第 1 天日期</translation>
    </message>
    <message>
      <source>full name</source>
      <translation>姓名</translation>
    </message>
    <message>
      <source>created at</source>
      <translation>创建时间</translation>
    </message>
    <message>
      <source>form</source>
      <translation>表单</translation>
    </message>
    <message>
      <source>field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>severity</source>
      <translation>级别</translation>
    </message>
    <message>
      <source>details</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>raised at</source>
      <translation>产生时间</translation>
    </message>
    <message>
      <source>acknowledged at</source>
      <translation>确认时间</translation>
    </message>
    <message>
      <source>acknowledged by</source>
      <translation>确认者</translation>
    </message>
    <message>
      <source>acknowledgement note</source>
      <translation>确认备注</translation>
    </message>
    <message>
      <source>protocol version</source>
      <translation>方案版本</translation>
    </message>
    <message>
      <source>screening date</source>
      <translation>筛选日期</translation>
    </message>
    <message>
      <source>screening inputs</source>
      <translation>筛选输入</translation>
    </message>
    <message>
      <source>screening result</source>
      <translation>筛选结果</translation>
    </message>
    <message>
      <source>override reason</source>
      <translation>否决覆盖原因</translation>
    </message>
    <message>
      <source>override by</source>
      <translation>否决覆盖者</translation>
    </message>
    <message>
      <source>allocation number</source>
      <translation>分配号</translation>
    </message>
    <message>
      <source>recorded at</source>
      <translation>记录时间</translation>
    </message>
    <message>
      <source>study nurse</source>
      <translation>研究护士</translation>
    </message>
    <message>
      <source>investigator</source>
      <translation>研究者</translation>
    </message>
    <message>
      <source>administrator</source>
      <translation>管理员</translation>
    </message>
    <message>
      <source>system</source>
      <translation>系统</translation>
    </message>
    <message>
      <source>Questionnaire not done</source>
      <translation>问卷未完成</translation>
    </message>
    <message>
      <source>Not-done record withdrawn</source>
      <translation>撤销未完成记录</translation>
    </message>
  </context>
  <context>
    <name>AuditTrailWidget</name>
    <message>
      <source>%1 of %2 entries</source>
      <translation>%1 / %2 条记录</translation>
    </message>
  </context>
  <context>
    <name>ChangePasswordDialog</name>
    <message>
      <source>An administrator has set a temporary password for your account. Choose your own password before you continue.</source>
      <translation>管理员为您的账户设置了临时密码。继续之前请设置您自己的密码。</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Change my password</source>
      <translation>修改我的密码</translation>
    </message>
    <message>
      <source>Change password</source>
      <translation>修改密码</translation>
    </message>
    <message>
      <source>Current password</source>
      <translation>当前密码</translation>
    </message>
    <message>
      <source>Enter your current password and choose a new one.</source>
      <translation>请输入当前密码并设置新密码。</translation>
    </message>
    <message>
      <source>Log out</source>
      <translation>登出</translation>
    </message>
    <message>
      <source>New password</source>
      <translation>新密码</translation>
    </message>
    <message>
      <source>Repeat the new password</source>
      <translation>再次输入新密码</translation>
    </message>
    <message>
      <source>Temporary password</source>
      <translation>临时密码</translation>
    </message>
    <message>
      <source>The two new passwords differ.</source>
      <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
      <source>User name</source>
      <translation>用户名</translation>
    </message>
  </context>
  <context>
    <name>NurseMainWindow</name>
    <message>
      <source>Something went wrong; nothing was changed. Try again; if it happens again, tell the site administrator.</source>
      <translation>出现问题，未做任何更改。请重试；如再次出现，请告知中心管理员。</translation>
    </message>
    <message>
      <source>The visit was not signed because of an unexpected error; try again.</source>
      <translation>因意外错误，访视未签名；请重试。</translation>
    </message>
  </context>
  <context>
    <name>PasswordPolicy</name>
    <message>
      <source>At least %1 characters, not a common password, not containing the user name.</source>
      <translation>至少 %1 个字符，不能是常见密码，不能包含用户名。</translation>
    </message>
    <message>
      <source>The password may have at most %1 characters.</source>
      <translation>密码最多 %1 个字符。</translation>
    </message>
    <message>
      <source>The password must have at least %1 characters.</source>
      <translation>密码至少需要 %1 个字符。</translation>
    </message>
    <message>
      <source>The password must not be or contain the user name.</source>
      <translation>密码不能是用户名，也不能包含用户名。</translation>
    </message>
    <message>
      <source>This password is one of the most common passwords; choose another.</source>
      <translation>该密码属于最常见的密码之一，请另选一个。</translation>
    </message>
  </context>
  <context>
    <name>PasswordChanger</name>
    <message>
      <source>Your password must be changed before you can continue.</source>
      <translation>继续之前必须修改密码。</translation>
    </message>
    <message>
      <source>Your password was changed.</source>
      <translation>您的密码已修改。</translation>
    </message>
    <message>
      <source>The current password is wrong, or the account is locked; the password was not changed.</source>
      <translation>当前密码错误或账户已锁定；密码未修改。</translation>
    </message>
    <message>
      <source>The password could not be changed because of an unexpected error; try again.</source>
      <translation>因意外错误，密码未能修改；请重试。</translation>
    </message>
    <message>
      <source>Account</source>
      <translation>账户</translation>
    </message>
    <message>
      <source>Change my password…</source>
      <translation>修改我的密码…</translation>
    </message>
  </context>
  <context>
    <name>PdfPreviewDialog</name>
    <message>
      <source>This system has no CUPS 'lp' command: the pages were printed as 300 dpi images.</source>
      <translation>本系统没有 CUPS “lp” 命令：页面以 300 dpi 图像打印。</translation>
    </message>
    <message>
      <source>%1 page(s) saved as the summary PDF itself (text kept).</source>
      <translation>已将 %1 页保存为摘要 PDF 原件（保留文字）。</translation>
    </message>
  </context>
  <context>
    <name>PrintPdf</name>
    <message>
      <source>A PDF could not be read for printing; nothing was printed.</source>
      <translation>无法读取要打印的 PDF；未打印任何内容。</translation>
    </message>
    <message>
      <source>The file %1 could not be written (%2); nothing was printed.</source>
      <translation>无法写入文件 %1（%2）；未打印任何内容。</translation>
    </message>
    <message>
      <source>The printing system did not accept the job (%1); nothing was printed.</source>
      <translation>打印系统未接受该任务（%1）；未打印任何内容。</translation>
    </message>
  </context>
  <context>
    <name>ReviewWidget</name>
    <message>
      <source>This visit is signed; it needs a new signature only after a correction.</source>
      <translation>此访视已签名；仅在更正后才需要重新签名。</translation>
    </message>
  </context>
  <context>
    <name>SignDialog</name>
    <message>
      <source>First signature since you logged in: enter your user ID and password. Later signatures in this session need the password only.</source>
      <translation>这是您登录后的首次签名：请输入用户名和密码。本次登录期间之后的签名只需输入密码。</translation>
    </message>
    <message>
      <source>User ID</source>
      <translation>用户名</translation>
    </message>
  </context>
  <context>
    <name>TodayView</name>
    <message>
      <source>Alert</source>
      <translation>警示</translation>
    </message>
    <message>
      <source>Awaiting signature</source>
      <translation>待签名</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>详情</translation>
    </message>
    <message>
      <source>Due this week</source>
      <translation>本周到期</translation>
    </message>
    <message>
      <source>Due today</source>
      <translation>今日到期</translation>
    </message>
    <message>
      <source>List</source>
      <translation>列表</translation>
    </message>
    <message>
      <source>Overdue</source>
      <translation>逾期</translation>
    </message>
    <message>
      <source>Subject</source>
      <translation>受试者</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <source>window %1 to %2</source>
      <translation>窗口 %1 至 %2</translation>
    </message>
    <message>
      <source>needs a new signature after a correction</source>
      <translation>更正后需重新签名</translation>
    </message>
    <message>
      <source>completed, not signed</source>
      <translation>已完成，未签名</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今日</translation>
    </message>
  </context>
  <context>
    <name>TodayWidget</name>
    <message>
      <source>%1 due today · %2 due this week · %3 overdue · %4 open alerts · %5 awaiting signature</source>
      <translation>今日到期 %1 · 本周到期 %2 · 逾期 %3 · 未处理警示 %4 · 待签名 %5</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>All (%1)</source>
      <translation>全部（%1）</translation>
    </message>
    <message>
      <source>Show</source>
      <translation>显示</translation>
    </message>
    <message>
      <source>Refresh</source>
      <translation>刷新</translation>
    </message>
    <message>
      <source>The Today view could not be loaded: %1</source>
      <translation>无法加载今日视图：%1</translation>
    </message>
    <message>
      <source>Today, %1</source>
      <translation>今日，%1</translation>
    </message>
    <message>
      <source>Unfinished forms are not kept as drafts, so there is no drafts list.</source>
      <translation>未完成的表单不会保存为草稿，因此没有草稿列表。</translation>
    </message>
    <message>
      <source>an unexpected error; try Refresh</source>
      <translation>意外错误；请点击刷新</translation>
    </message>
  </context>
  <context>
    <name>WorkArea</name>
    <message>
      <source>No patient matches the search or filter.</source>
      <translation>没有符合搜索或筛选条件的患者。</translation>
    </message>
    <message>
      <source>No patients yet — click “Enrol patient…” to start.</source>
      <translation>尚无患者 — 点击“入组患者…”开始。</translation>
    </message>
    <message>
      <source>This patient is hidden by the list's filter or search; their record stays open here.</source>
      <translation>此患者被列表的筛选或搜索隐藏；其记录仍在此处打开。</translation>
    </message>
  </context>
  <context>
    <name>ClinicalHistory</name>
    <message>
      <source>Dialysis in the past week</source>
      <translation>过去一周透析</translation>
    </message>
    <message>
      <source>Child-Pugh variant</source>
      <translation>Child-Pugh 评分方式</translation>
    </message>
    <message>
      <source>not recorded</source>
      <translation>未记录</translation>
    </message>
    <message>
      <source>PBC</source>
      <translation>PBC</translation>
    </message>
    <message>
      <source>standard</source>
      <translation>标准</translation>
    </message>
  </context>
  <context>
    <name>VisitSummary</name>
    <message>
      <source>This system has no CUPS 'lp' command: the pages were printed as 300 dpi images.</source>
      <translation>本系统没有 CUPS “lp” 命令：页面以 300 dpi 图像打印。</translation>
    </message>
  </context>
  <context>
    <name>OutcomeFormsWidget</name>
    <message>
      <source>New entry</source>
      <translation>新建记录</translation>
    </message>
    <message>
      <source>Entered at this visit</source>
      <translation>本次访视已录入</translation>
    </message>
    <message>
      <source>Reason for the change (required)</source>
      <translation>修改原因（必填）</translation>
    </message>
    <message>
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <source>This visit has no outcome forms in the protocol.</source>
      <translation>方案中本次访视没有结局表单。</translation>
    </message>
    <message>
      <source>Form</source>
      <translation>表单</translation>
    </message>
    <message>
      <source>YYYY-MM-DD</source>
      <translation>年-月-日</translation>
    </message>
    <message>
      <source>HH:MM</source>
      <translation>时:分</translation>
    </message>
  </context>
  <context>
    <name>WorkArea</name>
    <message>
      <source>Outcome forms</source>
      <translation>结局表单</translation>
    </message>
  </context>
  <context>
    <name>AuditText</name>
    <message>
      <source>Outcome form saved</source>
      <translation>结局表单已保存</translation>
    </message>
    <message>
      <source>Outcome form corrected</source>
      <translation>结局表单已更正</translation>
    </message>
    <message>
      <source>outcome form</source>
      <translation>结局表单</translation>
    </message>
    <message>
      <source>outcome values</source>
      <translation>结局数值</translation>
    </message>
    <message>
      <source>event date</source>
      <translation>事件日期</translation>
    </message>
  </context>
  <context>
    <name>OutcomeReport</name>
    <message>
      <source>Reports</source>
      <translation>报告</translation>
    </message>
    <message>
      <source>Outcome report…</source>
      <translation>结局报告…</translation>
    </message>
    <message>
      <source>Outcome report</source>
      <translation>结局报告</translation>
    </message>
    <message>
      <source>Building the outcome report…</source>
      <translation>正在生成结局报告…</translation>
    </message>
    <message>
      <source>The outcome report could not be made (%1); nothing was changed.</source>
      <translation>无法生成结局报告（%1）；未做任何更改。</translation>
    </message>
  </context>
  <context>
    <name>PatientActions</name>
    <message>
      <source>Correct arm…</source>
      <translation>更正组别…</translation>
    </message>
    <message>
      <source>Investigators correct the arm of a patient, with a reason (audited).</source>
      <translation>研究者可更正患者的组别，须填写原因（记入稽查轨迹）。</translation>
    </message>
    <message>
      <source>Add visit…</source>
      <translation>添加访视…</translation>
    </message>
    <message>
      <source>Add an unscheduled or the early-termination visit, with its date and reason.</source>
      <translation>添加计划外访视或提前终止访视，须填写日期和原因。</translation>
    </message>
    <message>
      <source>Your role may not do this; nothing was changed.</source>
      <translation>您的角色无权执行此操作；未做任何更改。</translation>
    </message>
    <message>
      <source>Something went wrong; nothing was changed. Try again; if it happens again, tell the site administrator.</source>
      <translation>出现问题，未做任何更改。请重试；如再次出现，请告知中心管理员。</translation>
    </message>
    <message>
      <source>Only an investigator can correct a patient's arm; nothing was changed. Ask the study's investigator.</source>
      <translation>只有研究者可以更正患者的组别；未做任何更改。请联系本研究的研究者。</translation>
    </message>
    <message>
      <source>Arm corrected; the change and its reason are in the audit trail.</source>
      <translation>组别已更正；更改及其原因已记入稽查轨迹。</translation>
    </message>
    <message>
      <source>Your role may not add visits; nothing was changed.</source>
      <translation>您的角色无权添加访视；未做任何更改。</translation>
    </message>
    <message>
      <source>Visit added: %1.</source>
      <translation>已添加访视：%1。</translation>
    </message>
  </context>
  <context>
    <name>ArmCorrectionDialog</name>
    <message>
      <source>Correct the patient's arm</source>
      <translation>更正患者的组别</translation>
    </message>
    <message>
      <source>— choose the arm —</source>
      <translation>— 选择组别 —</translation>
    </message>
    <message>
      <source>Why the arm is corrected, e.g. the allocation slot used in error (required)</source>
      <translation>更正组别的原因，例如误用了随机分配号（必填）</translation>
    </message>
    <message>
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <source>Current arm</source>
      <translation>当前组别</translation>
    </message>
    <message>
      <source>Correct arm</source>
      <translation>正确的组别</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>The allocation record stays as drawn; the change and its reason are kept in the audit trail.</source>
      <translation>随机分配记录保持原样；更改及其原因保存在稽查轨迹中。</translation>
    </message>
  </context>
  <context>
    <name>AddVisitDialog</name>
    <message>
      <source>Add a visit</source>
      <translation>添加访视</translation>
    </message>
    <message>
      <source>Why the visit takes place, e.g. a new symptom or the patient withdrew (required)</source>
      <translation>进行此次访视的原因，例如出现新症状或患者退出（必填）</translation>
    </message>
    <message>
      <source>Patient</source>
      <translation>患者</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>The visit gets the protocol's questionnaires and staff forms; the reason is kept in the audit trail.</source>
      <translation>此次访视使用方案规定的问卷和工作人员表单；原因保存在稽查轨迹中。</translation>
    </message>
  </context>
  <context>
    <name>NotDoneDialog</name>
    <message>
      <source>Questionnaire not done</source>
      <translation>问卷未完成</translation>
    </message>
    <message>
      <source>— choose the reason —</source>
      <translation>— 选择原因 —</translation>
    </message>
    <message>
      <source>Optional; required for "Other"</source>
      <translation>可选；选择“其他”时必填</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <source>Questionnaire</source>
      <translation>问卷</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Details</source>
      <translation>说明</translation>
    </message>
    <message>
      <source>The questionnaire is no longer offered at the kiosk for this visit (answers a patient already gave to a paused one are kept); the reason is kept in the audit trail.</source>
      <translation>本次访视的自助终端将不再提供该问卷（患者在已暂停问卷中已作的回答予以保留）；原因记入稽查轨迹。</translation>
    </message>
  </context>
  <context>
    <name>NotDoneAction</name>
    <message>
      <source>Questionnaire not done…</source>
      <translation>问卷未完成…</translation>
    </message>
    <message>
      <source>Record that a questionnaire of this visit was not done (refused, too unwell…), with the reason.</source>
      <translation>记录本次访视的某份问卷未完成（拒绝、身体不适…）及其原因。</translation>
    </message>
    <message>
      <source>Your role may not record questionnaires; nothing was changed.</source>
      <translation>您的角色无权记录问卷；未做任何更改。</translation>
    </message>
    <message>
      <source>Every questionnaire of this visit is submitted or recorded not done.</source>
      <translation>本次访视的所有问卷均已提交或已记录为未完成。</translation>
    </message>
    <message>
      <source>Your role may not do this; nothing was changed.</source>
      <translation>您的角色无权执行此操作；未做任何更改。</translation>
    </message>
    <message>
      <source>Something went wrong; nothing was changed.</source>
      <translation>出现错误；未做任何更改。</translation>
    </message>
    <message>
      <source>Recorded as not done; the reason is in the audit trail.</source>
      <translation>已记录为未完成；原因已记入稽查轨迹。</translation>
    </message>
    <message>
      <source>Done after all…</source>
      <translation>仍已完成…</translation>
    </message>
    <message>
      <source>Withdraw a not-done record of this visit, with the reason; it is offered again.</source>
      <translation>撤销本次访视的未完成记录并填写原因；该问卷将重新提供。</translation>
    </message>
    <message>
      <source>Not-done record withdrawn; the questionnaire is offered again.</source>
      <translation>已撤销未完成记录；该问卷将重新提供。</translation>
    </message>
  </context>
  <context>
    <name>WithdrawNotDoneDialog</name>
    <message>
      <source>Withdraw a not-done record</source>
      <translation>撤销未完成记录</translation>
    </message>
    <message>
      <source>Why, e.g. the patient can answer it now (required)</source>
      <translation>原因，例如患者现在可以填写（必填）</translation>
    </message>
    <message>
      <source>Visit</source>
      <translation>访视</translation>
    </message>
    <message>
      <source>Questionnaire</source>
      <translation>问卷</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
  </context>
</TS>