"""Names written in their own script, for the tests and benchmarks/screening.py.

Positives: real OFAC SDN (2024-05-03) entries - Hezbollah, Hamas, IRGC and Iranian officials, Syrian,
Yemeni (Houthi) and al-Qa'ida figures, PRC officials, DPRK persons, an Israeli settler - written by hand
the way their own press writes them (Arabic, Persian with its own letters and zero-width non-joiners,
simplified and traditional Chinese, Hangul, Hebrew).  Negatives: common names and well-known people in
the same scripts who are on none of the lists.
"""

from __future__ import annotations

# (script, name in its script, the SDN entry's primary name)
NATIVE_POSITIVES: tuple[tuple[str, str, str], ...] = (
    ("arabic", "حسن نصر الله", "NASRALLAH, Hasan"),
    ("arabic", "إسماعيل هنية", "HANIYEH, Ismail"),
    ("arabic", "قاسم سليماني", "SOLEIMANI, Qasem"),
    ("arabic", "يحيى السنوار", "SINWAR, Yahya"),
    ("arabic", "محمد الضيف", "DEIF, Muhammed"),
    ("arabic", "هاشم صفي الدين", "SAFIEDDINE, Hashem"),
    ("arabic", "جواد نصر الله", "NASRALLAH, Jawad"),
    ("arabic", "علي عبد الله صالح", "SALEH, Ali Abdullah"),
    ("arabic", "موسى محمد أبو مرزوق", "ABU MARZOOK, Mousa Mohammed"),
    ("arabic", "أسامة بن محمد بن عوض بن لادن", "BIN LADIN, Usama bin Muhammad bin Awad"),
    ("arabic", "فؤاد شكر", "SHUKR, Fu'ad"),
    ("arabic", "علي مملوك", "MAMLUK, Ali"),
    ("arabic", "رامي مخلوف", "MAKHLUF, Rami"),
    ("arabic", "عبد الخالق الحوثي", "AL-HUTHI, Abd al-Khaliq"),
    ("arabic", "محمد كوثراني", "KAWTHARANI, Muhammad"),
    ("arabic", "علي خامنئي", "KHAMENEI, Ali Husseini"),
    ("persian", "علی حسینی خامنه‌ای", "KHAMENEI, Ali Husseini"),
    ("persian", "مجتبی خامنه‌ای", "KHAMENEI, Mojtaba"),
    ("persian", "محمد جواد ظریف", "ZARIF, Mohammad Javad"),
    ("persian", "رستم قاسمی", "QASEMI, Rostam"),
    ("persian", "سهراب سلیمانی", "SOLEIMANI, Sohrab"),
    ("persian", "ابراهیم رئیسی", "RAISI, Ebrahim"),
    ("persian", "محمد باقری", "BAGHERI, Mohammad"),
    ("persian", "علی شمخانی", "SHAMKHANI, Ali"),
    ("persian", "امیرعلی حاجی‌زاده", "HAJIZADEH, Amir Ali"),
    ("persian", "احمد وحیدی", "VAHIDI, Ahmad"),
    ("persian", "احمد جنتی", "JANNATI, Ahmad"),
    ("persian", "صادق آملی لاریجانی", "LARIJANI, Sadegh Amoli"),
    ("hebrew", "ינון לוי", "LEVI, Yinon"),
    ("chinese", "陈全国", "CHEN, Quanguo"),
    ("chinese", "陳全國", "CHEN, Quanguo"),
    ("chinese", "朱海仑", "ZHU, Hailun"),
    ("chinese", "王明山", "WANG, Mingshan"),
    ("chinese", "李尚福", "LI, Shangfu"),
    ("chinese", "夏宝龙", "XIA, Baolong"),
    ("chinese", "骆惠宁", "LUO, Huining"),
    ("chinese", "郑雁雄", "ZHENG, Yanxiong"),
    ("chinese", "张晓明", "ZHANG, Xiaoming"),
    ("chinese", "李方威", "LI, Fangwei"),
    ("chinese", "马晓红", "MA, Xiaohong"),
    ("korean", "김정은", "KIM, Jong Un"),
    ("korean", "김 정은", "KIM, Jong Un"),
    ("korean", "정은 김", "KIM, Jong Un"),
    ("korean", "최룡해", "CHOE, Ryong Hae"),
    ("korean", "김여정", "KIM, Yo Jong"),
    ("korean", "박영식", "PAK, Yong Sik"),
    ("korean", "리만건", "RI, Man Gon"),
    ("korean", "리용무", "RI, Yong Mu"),
    ("korean", "오극렬", "O, Kuk-Ryol"),
    ("korean", "조용원", "JO, Yong-Won"),
    ("korean", "김기남", "KIM, Ki Nam"),
    ("korean", "최부일", "CHOE, Pu Il"),
    ("korean", "김경옥", "KIM, Kyong Ok"),
    ("korean", "강필훈", "KANG, P'il-Hun"),
    ("korean", "현광일", "HYON, Gwang Il"),
)

# (script, a name on none of the lists)
NATIVE_NEGATIVES: tuple[tuple[str, str], ...] = (
    ("arabic", "فاطمة الزهراء"), ("arabic", "ليلى أحمد"), ("arabic", "نور الهدى"), ("arabic", "خديجة علي"),
    ("arabic", "زينب حسن"), ("arabic", "مريم يوسف"), ("arabic", "كريم عبد العزيز"), ("arabic", "نجيب محفوظ"),
    ("arabic", "أم كلثوم"), ("arabic", "محمد صلاح"), ("arabic", "عمر خالد"),
    ("persian", "نرگس محمدی"), ("persian", "شیرین عبادی"), ("persian", "پروین اعتصامی"), ("persian", "فروغ فرخزاد"),
    ("persian", "عباس کیارستمی"), ("persian", "اصغر فرهادی"),
    ("hebrew", "דוד בן גוריון"), ("hebrew", "שמעון פרס"),
    ("chinese", "王芳"), ("chinese", "李娜"), ("chinese", "刘洋"), ("chinese", "陈静"), ("chinese", "莫言"),
    ("chinese", "姚明"), ("chinese", "屠呦呦"), ("chinese", "周杰伦"), ("chinese", "阿里巴巴集团"),
    ("chinese", "北京大学"),
    ("korean", "손흥민"), ("korean", "김연아"), ("korean", "박지성"), ("korean", "이영희"), ("korean", "김민준"),
    ("korean", "이서연"), ("korean", "반기문"), ("korean", "봉준호"), ("korean", "삼성전자"),
)
