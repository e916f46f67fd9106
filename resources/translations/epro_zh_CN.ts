<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="68" />
        <source>The kiosk cannot save answers</source>
        <translation>本终端无法保存答案</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="69" />
        <source>Please call staff. Details: {msg}</source>
        <translation>请联系工作人员。详细信息：{msg}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="71" />
        <source>Close the app</source>
        <translation>关闭程序</translation>
    </message>
</context>
<context>
    <name>IdentityScreen</name>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="79" />
        <location filename="../../ui/kiosk/start_screens.py" line="80" />
        <source>Is this you?</source>
        <translation>这是您本人吗？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="81" />
        <source>Study number: {subject}</source>
        <translation>研究编号：{subject}</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="83" />
        <source>Initials: {initials}</source>
        <translation>姓名缩写：{initials}</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="85" />
        <source>Please enter the year you were born, for example 1956.</source>
        <translation>请输入您的出生年份，例如 1956。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="88" />
        <source>Year of birth</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="105" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="114" />
        <source>This is not me</source>
        <translation>这不是我</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="116" />
        <source>Yes, this is me — continue</source>
        <translation>是我本人，继续</translation>
    </message>
</context>
<context>
    <name>ItemScreen</name>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="81" />
        <source>Question {n} of {total}</source>
        <translation>第 {n} 题，共 {total} 题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="111" />
        <source>You skipped this question. You can still answer it.</source>
        <translation>您跳过了这道题。您仍然可以回答。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="114" />
        <source>Back</source>
        <translation>上一题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="115" />
        <source>Skip this question</source>
        <translation>跳过这道题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="117" />
        <source>Next</source>
        <translation>下一题</translation>
    </message>
    <message>
        <source>Part {part} of {parts} · {question}</source>
        <translation>第 {part} 部分，共 {parts} 部分 · {question}</translation>
    </message>
    <message>
        <source>Skipped — you can still answer it.</source>
        <translation>已跳过——您仍然可以回答。</translation>
    </message>
</context>
<context>
    <name>KioskController</name>
    <message>
        <source>The kiosk was not handed over</source>
        <translation>自助终端未能交给患者</translation>
    </message>
    <message>
        <source>Use password instead</source>
        <translation>改用密码</translation>
    </message>
    <message>
        <source>The PIN is not correct, or the account is locked.</source>
        <translation>PIN 码不正确，或账户已被锁定。</translation>
    </message>
    <message>
        <source>Tap your name, then enter your PIN.</source>
        <translation>请点击您的名字，然后输入 PIN 码。</translation>
    </message>
    <message>
        <source>Hand-over stopped: the birth year did not match {n} times for {subject}. Check the patient before starting again.</source>
        <translation>交接已停止：{subject} 的出生年份 {n} 次不符。请先核实患者身份再重新开始。</translation>
    </message>
    <message>
        <source>Enter your PIN.</source>
        <translation>请输入您的 PIN 码。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="76" />
        <source>Please call the nurse</source>
        <translation>请叫护士</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="77" />
        <source>This answer could not be saved. Your earlier answers are safe. Please ask the nurse for help.</source>
        <translation>这个答案未能保存。您之前的答案都已安全保存。请找护士帮忙。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="79" />
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="109" />
        <location filename="../../ui/kiosk/controller.py" line="110" />
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="113" />
        <location filename="../../ui/kiosk/controller.py" line="114" />
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="121" />
        <source>The user name or password is not correct.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="126" />
        <source>Staff only</source>
        <translation>仅限工作人员</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="126" />
        <source>Enter your user name and password.</source>
        <translation>请输入您的用户名和密码。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="127" />
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="128" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="165" />
        <location filename="../../ui/kiosk/controller.py" line="169" />
        <source>Questionnaire paused by staff.</source>
        <translation>问卷已由工作人员暂停。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="171" />
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="171" />
        <source>What do you want to do?</source>
        <translation>您要做什么？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="172" />
        <source>Return to the questionnaire</source>
        <translation>返回问卷</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="173" />
        <source>Pause and lock (can be resumed)</source>
        <translation>暂停并锁定（可以继续）</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="175" />
        <source>Close the kiosk app</source>
        <translation>关闭自助终端程序</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="211" />
        <source>This does not match our records. Please try again, or ask the nurse.</source>
        <translation>与我们的记录不符。请再试一次，或询问护士。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="219" />
        <source>Hand-over stopped: the person at the kiosk said they are not {subject}. Check the patient before starting again.</source>
        <translation>交接已停止：终端前的人表示自己不是 {subject}。请核对患者身份后再重新开始。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="483" />
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="484" />
        <source>Yes, I am still here</source>
        <translation>是的，我还在</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="490" />
        <source>If you do not tap the button, this screen will close in {n} seconds.</source>
        <translation>如果您不点击按钮，此页面将在 {n} 秒后关闭。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="491" />
        <source>If you do not tap the button, the questionnaire will close in {n} seconds. Your answers so far are saved.</source>
        <translation>如果您不点击按钮，问卷将在 {n} 秒后关闭。您已填写的答案都已保存。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/controller.py" line="501" />
        <source>Questionnaire for {subject} was interrupted (no activity). Staff can resume it.</source>
        <translation>{subject} 的问卷因无操作而中断。工作人员可以继续该问卷。</translation>
    </message>
</context>
<context>
    <name>QuestionnaireFlow</name>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="376" />
        <source>Are you sure?</source>
        <translation>您确定吗？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="377" />
        <source>You have not answered this question. Do you want to skip it?</source>
        <translation>您还没有回答这道题。您要跳过它吗？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="379" />
        <source>No, I will answer it</source>
        <translation>不，我要回答</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="380" />
        <source>Yes, skip this question</source>
        <translation>是的，跳过这道题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="389" />
        <source>I prefer not to answer</source>
        <translation>我不想回答</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="390" />
        <source>I do not understand the question</source>
        <translation>我看不懂这道题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="391" />
        <source>It does not apply to me</source>
        <translation>这道题不适用于我</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="394" />
        <source>Cancel — go back to the question</source>
        <translation>取消，回到这道题</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="396" />
        <source>Why are you skipping this question?</source>
        <translation>您为什么要跳过这道题？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/questionnaire_flow.py" line="397" />
        <source>Choose one.</source>
        <translation>请选择一项。</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../ui/kiosk/window.py" line="75" />
        <source>ePRO Desk</source>
        <translation>ePRO Desk</translation>
    </message>
</context>
<context>
    <name>LockedScreen</name>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="22" />
        <source>Please ask the nurse to start your questionnaire</source>
        <translation>请让护士为您开始问卷</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="26" />
        <source>Staff: unlock</source>
        <translation>工作人员：解锁</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="181" />
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="182" />
        <source>Submit my answers</source>
        <translation>提交我的答案</translation>
    </message>
    <message>
        <source>Part {part} of {parts}</source>
        <translation>第 {part} 部分，共 {parts} 部分</translation>
    </message>
    <message>
        <source>Check your answers</source>
        <translation>请检查您的回答</translation>
    </message>
    <message>
        <source>Some questions have no answer yet. Tap a question to answer it or to change your answer. Tap Submit when you are ready.</source>
        <translation>有些问题还没有回答。点击一个问题可以回答它或修改答案。准备好后请点击“提交我的答案”。</translation>
    </message>
    <message>
        <source>You have answered every question. Tap a question to change your answer, or tap Submit.</source>
        <translation>您已回答了所有问题。点击一个问题可以修改答案，或点击“提交我的答案”。</translation>
    </message>
    <message>
        <source>Your answer: {answer}</source>
        <translation>您的回答：{answer}</translation>
    </message>
    <message>
        <source>Skipped — tap here to answer</source>
        <translation>已跳过——点击这里回答</translation>
    </message>
    <message>
        <source>Not answered — tap here to answer</source>
        <translation>未回答——点击这里回答</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../../ui/kiosk/widgets.py" line="110" />
        <source>▼ More below — scroll down</source>
        <translation>▼ 下面还有内容，请向下滑动</translation>
    </message>
</context>
<context>
    <name>StaffScreen</name>
    <message>
        <source>Acknowledge alerts at the staff workstation.</source>
        <translation>请在工作站确认警示。</translation>
    </message>
    <message>
        <source>…and {n} more. </source>
        <translation>……另有 {n} 条。</translation>
    </message>
    <message>
        <source>{level} alert — {subject}: {reason}</source>
        <translation>{level}警示 — {subject}：{reason}</translation>
    </message>
    <message>
        <source>{subject} ({initials}) — {visit}: {why}</source>
        <translation>{subject}（{initials}）— {visit}：{why}</translation>
    </message>
    <message>
        <source>{subject} ({initials}) — {visit}, {date}</source>
        <translation>{subject}（{initials}）— {visit}，{date}</translation>
    </message>
    <message>
        <source>{n}-week recall period</source>
        <translation>{n} 周回忆期</translation>
    </message>
    <message>
        <source>{n}-day recall period</source>
        <translation>{n} 天回忆期</translation>
    </message>
    <message>
        <source>{instrument} opens on {when}: {period}</source>
        <translation>{instrument} 于 {when} 开放：{period}</translation>
    </message>
    <message>
        <source>late (out of window)</source>
        <translation>延迟（超出窗口期）</translation>
    </message>
    <message>
        <source>early (out of window)</source>
        <translation>提前（超出窗口期）</translation>
    </message>
    <message>
        <source>d MMM HH:mm</source>
        <translation>M月d日 HH:mm</translation>
    </message>
    <message>
        <source>; </source>
        <comment>between the reasons a visit waits</comment>
        <translation>；</translation>
    </message>
    <message>
        <source>Not yet (staff only)</source>
        <translation>暂不可开始（仅限工作人员）</translation>
    </message>
    <message>
        <source>No visit can start now.</source>
        <translation>目前没有可以开始的访视。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="42" />
        <source>Staff: choose what to start</source>
        <translation>工作人员：请选择要开始的内容</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="46" />
        <source>Interrupted questionnaires</source>
        <translation>中断的问卷</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="48" />
        <source>Interrupted questionnaire for {subject}, {done} of {total} answered — resume?</source>
        <translation>{subject} 的问卷已中断，已回答 {done} / {total} 题 — 是否继续？</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="54" />
        <source>Visits to hand to a patient</source>
        <translation>可交给患者填写的访视</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="56" />
        <source>No open visits.</source>
        <translation>没有待完成的访视。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="58" />
        <source>{subject} ({initials}) — visit {visit}</source>
        <translation>{subject}（{initials}）— 访视 {visit}</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="63" />
        <source>Lock the kiosk</source>
        <translation>锁定自助终端</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/start_screens.py" line="65" />
        <source>Close the kiosk app</source>
        <translation>关闭自助终端程序</translation>
    </message>
</context>
<context>
    <name>ThankYouScreen</name>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="45" />
        <source>Thank you</source>
        <translation>谢谢您</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="47" />
        <source>You have finished. Your answers are saved. Please give the screen back to the nurse.</source>
        <translation>您已完成。您的答案已保存。请把屏幕交还给护士。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="51" />
        <source>Finish</source>
        <translation>完成</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <location filename="../../ui/kiosk/widgets.py" line="227" />
        <source>Text size:</source>
        <translation>文字大小：</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/widgets.py" line="228" />
        <source>Text size</source>
        <translation>文字大小</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/widgets.py" line="229" />
        <location filename="../../ui/kiosk/widgets.py" line="230" />
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
</context>
<context>
    <name>WarningScreen</name>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="23" />
        <source>Please tell the nurse now</source>
        <translation>请立即告诉护士</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="26" />
        <source>You answered Yes to a question about warning signs. Please tell the nurse now, before you leave.</source>
        <translation>您对一个危险信号问题回答了“是”。请在离开前立即告诉护士。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/end_screens.py" line="31" />
        <source>I will tell the nurse — continue</source>
        <translation>我会告诉护士，继续</translation>
    </message>
</context>
<context>
    <name>WelcomeScreen</name>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="26" />
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="37" />
        <source>This questionnaire is not available in your language yet. It is shown in English.</source>
        <translation>本问卷暂无中文版本，现以英文显示。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="45" />
        <source>Time period to think about: {period}</source>
        <translation>请回想这段时间：{period}</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="47" />
        <source>Tap the answer that fits you best, then tap Next. You can go back and change an answer.</source>
        <translation>请点击最符合您情况的答案，然后点击“下一题”。您可以返回并修改答案。</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk/question_screens.py" line="50" />
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Part {part} of {parts}</source>
        <translation>第 {part} 部分，共 {parts} 部分</translation>
    </message>
    <message>
        <source>Tap the answer that fits you best. The next question then follows by itself. You can go back and change an answer.</source>
        <translation>请点击最符合您情况的答案，之后会自动进入下一题。您可以返回并修改答案。</translation>
    </message>
</context>
<context>
    <name>IdentityHelpScreen</name>
    <message>
        <source>Thank you</source>
        <translation>谢谢您</translation>
    </message>
    <message>
        <source>Please ask the nurse to help you continue.</source>
        <translation>请让护士帮助您继续。</translation>
    </message>
    <message>
        <source>Nothing is wrong. The nurse will check your details with you.</source>
        <translation>没有任何问题。护士会和您一起核对您的信息。</translation>
    </message>
</context>
<context>
    <name>StaffPinPanel</name>
    <message>
        <source>Tap your name, then enter your PIN.</source>
        <translation>请点击您的名字，然后输入 PIN 码。</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SaveErrors</name>
    <message>
        <source>The kiosk was not handed over</source>
        <translation>自助终端未能交给患者</translation>
    </message>
    <message>
        <source>Please call the nurse</source>
        <translation>请叫护士</translation>
    </message>
    <message>
        <source>This answer could not be saved. Your earlier answers are safe. Please ask the nurse for help.</source>
        <translation>这个答案未能保存。您之前的答案都已安全保存。请找护士帮忙。</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>This questionnaire is no longer handed over to you, so this answer was not saved. Your earlier answers are safe. Please call the nurse.</source>
        <translation>这份问卷已不再交由您填写，因此这个答案未保存。您之前的答案都已安全保存。请叫护士。</translation>
    </message>
</context>
<context>
    <name>StationStoppedScreen</name>
    <message>
        <source>Please call the nurse</source>
        <translation>请叫护士</translation>
    </message>
    <message>
        <source>This station cannot save answers (database unavailable). Please stop here and call the nurse. The answers you finished before this message are kept.</source>
        <translation>本终端无法保存答案（数据库不可用）。请停在这里并叫护士。出现此提示之前您已完成的答案都已保存。</translation>
    </message>
</context>
<context>
    <name>StaffLogin</name>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对…</translation>
    </message>
    <message>
        <source>The login could not be checked. Please try again; if it keeps failing, restart the station.</source>
        <translation>无法核对登录信息。请重试；如果仍然失败，请重新启动本终端。</translation>
    </message>
    <message>
        <source>The PIN is not correct, or the account is locked.</source>
        <translation>PIN 码不正确，或账户已被锁定。</translation>
    </message>
    <message>
        <source>The user name or password is not correct.</source>
        <translation>用户名或密码不正确。</translation>
    </message>
    <message>
        <source>Tap your name, then enter your PIN.</source>
        <translation>请点击您的名字，然后输入 PIN 码。</translation>
    </message>
    <message>
        <source>Enter your user name and password.</source>
        <translation>请输入您的用户名和密码。</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Use password instead</source>
        <translation>改用密码</translation>
    </message>
    <message>
        <source>Staff only</source>
        <translation>仅限工作人员</translation>
    </message>
    <message>
        <source>Enter your PIN.</source>
        <translation>请输入您的 PIN 码。</translation>
    </message>
</context>
</TS>