"""A small hand-written lexicon of injection phrases in the languages prompts most often arrive in.

The hashed n-gram model learns its words from English jailbreaks, so "Ignora las instrucciones
anteriores" or "忽略之前的指令" looks to it like any Spanish or Chinese sentence.  The phrases an
injection cannot do without are few (ignore/forget, instructions, password/secret, do not
reveal), so they are listed here by hand, from general knowledge of each language (not from any
evaluation set), for English, Spanish, French, German, Italian, Portuguese, Dutch, Polish,
Russian, Turkish, Indonesian, Vietnamese, Tagalog, Arabic, Hindi, Bengali, Chinese, Japanese,
Korean and Thai.  They feed the same cues as the English words (`features.cues`) and the
conversation rules (`conversation`), so a weight learned on English attacks carries over.

Each phrase is folded at import with the detector's own normalisation (`normalize`), since it is
matched against folded text: accents and other combining marks go, so "contraseña" is
"contrasena" and the Japanese "パスワード" loses its voicing marks.  A folded phrase that is one
word of a spaced script is looked up in the word counts the features already hold; anything else
(several words, or a script written without spaces) is searched for as a substring, and the
non-ASCII substrings only in texts that have non-ASCII characters, so English prompts pay nothing.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from clearance.safeguards.normalize import UNSPACED_RE as _UNSPACED_RE
from clearance.safeguards.normalize import normalize

# "ignore / forget / disregard": the verb of an override (English ones are `features`' own cue words).
OVERRIDE_VERBS = (
    "ignora", "ignoren", "ignorar", "olvida", "olvide", "olvidar", "olviden", "omite", "descarta",  # es
    "ignorez", "ignorer", "oublie", "oubliez", "oublier", "neglige",  # fr
    "ignoriere", "ignorieren", "ignoriert", "vergiss", "vergessen", "vergesst", "missachte", "missachten",  # de
    "ignorate", "ignorare", "dimentica", "dimenticate", "dimenticare", "trascura",  # it
    "esqueça", "esqueca", "esquecer", "esqueçam", "desconsidere", "despreze", "ignorem",  # pt
    "negeer", "negeren", "vergeet",  # nl
    "zignoruj", "ignoruj", "zapomnij", "pomiń",  # pl
    "abaikan", "lupakan", "hiraukan", "acuhkan",  # id
    "yoksay", "görmezden", "unut", "umursama",  # tr
    "kalimutan", "huwag pansinin",  # tl
    "bỏ qua", "quên đi", "phớt lờ",  # vi
    "игнорируй", "игнорируйте", "игнорировать", "забудь", "забудьте", "проигнорируй", "не обращай",  # ru
    "تجاهل", "انسَ", "انس", "اهمل",  # ar
    "अनदेखा", "अनदेखी", "भूल जाओ", "भूल जाएं", "नज़रअंदाज़", "नजरअंदाज",  # hi
    "উপেক্ষা", "ভুলে যাও", "ভুলে যান",  # bn
    "忽略", "无视", "忘记", "忘掉", "無視", "忘記", "不要理会",  # zh
    "無視して", "忘れて", "忘れてください",  # ja
    "무시", "잊어",  # ko
    "เพิกเฉย", "ละเว้น", "ลืม",  # th
)
# "do not follow / pay no attention to": an override said as a refusal to obey.  Read only by the outright-override
# rule (`override`), not by the model's cue: the shipped model was trained on the cue without them, and a word
# added there would change its features under it.
DISOBEY_PHRASES = (
    "no sigas", "no siga", "no sigan", "no obedezcas", "no tengas en cuenta",
    "no tomes en cuenta", "no hagas caso",  # es
    "ne suis pas", "ne suivez pas", "ne respecte pas", "ne respectez pas", "ne tiens pas compte",
    "ne tenez pas compte", "n'obeis pas",  # fr
    "nicht befolgen", "nicht beachten", "befolge keine", "missachte",  # de
    "non seguire", "non seguite", "non rispettare", "non tenere conto", "non obbedire",  # it
    "não siga", "nao siga", "não sigam", "não leve em conta", "não considere", "não obedeça",  # pt
    "не следуй", "не следуйте", "не выполняй", "не выполняйте", "не обращай внимания", "не слушай",  # ru
    "不要遵循", "不要遵守", "不要按照", "不要听从", "别管", "不必遵守",  # zh
    "従わず", "従わないで", "気にせず", "気にしないで",  # ja
    "لا تتبع", "لا تلتزم", "لا تلتفت", "لا تطع",  # ar
    "पालन मत", "पालन न", "ध्यान मत", "ध्यान न दें",  # hi
)
# "previous / above / all / your": what makes the instructions the model's.  Rule-only, as above.
QUALIFIER_PHRASES = (
    "todas", "todos", "tus", "sus", "anteriores", "previas", "previos", "de arriba", "del sistema",  # es
    "toutes", "tous", "tes", "vos", "precedentes", "ci-dessus", "du systeme",  # fr
    "alle", "allen", "deine", "deinen", "ihre", "vorherigen", "vorherige", "obigen", "bisherigen",  # de
    "tutte", "tutti", "tue", "tuoi", "precedenti", "sopra", "di sistema",  # it
    "suas", "seus", "acima", "do sistema",  # pt (and es "todas", "anteriores")
    "vorige", "jouw", "bovenstaande",  # nl
    "poprzednie", "wszystkie", "swoje", "twoje", "powyzsze",  # pl
    "sebelumnya", "semua", "anda", "kamu", "di atas",  # id
    "onceki", "tum", "butun", "yukaridaki",  # tr
    "nakaraan", "lahat", "iyong",  # tl
    "truoc", "tat ca", "cua ban", "o tren",  # vi
    "все", "всё", "свои", "твои", "ваши", "предыдущие", "предыдущим", "предыдущих", "выше",  # ru
    "السابقة", "أعلاه", "جميع", "كل", "قواعدك", "تعليماتك", "أوامرك",  # ar
    "पिछले", "पिछली", "ऊपर", "सभी", "सारे", "अपने", "अपनी",  # hi
    "পূর্ববর্তী", "আগের", "সব", "তোমার", "আপনার",  # bn
    "之前", "以前", "先前", "上面", "上述", "所有", "全部", "你的",  # zh
    "これまで", "以前の", "前の", "上の", "すべて", "全て", "あなたの",  # ja
    "이전", "모든", "위의", "당신의",  # ko
    "ก่อนหน้า", "ทั้งหมด", "ของคุณ", "ข้างบน",  # th
)
# "show / print / reveal / tell me": a request verb, in the imperative (not "write", "create": a prompt someone
# writes is theirs).  Read by the extraction rule (`extraction.asks_in_other_languages`) only.
SHOW_PHRASES = (
    "muestra", "muestrame", "ensename", "imprime", "revela", "repite", "dime", "dame", "copia", "traduce",
    "comparte", "enumera",  # es (folded: "muéstrame" is "muestrame")
    "montre", "montre-moi", "affiche", "imprime", "revele", "repete", "dis-moi", "donne-moi", "copie", "traduis",
    "partage", "enumere",  # fr
    "zeig", "zeige", "zeigen sie", "gib", "geben sie", "drucke", "verrate", "wiederhole", "sag mir", "nenne",
    "teile", "ubersetze",  # de
    "mostra", "mostrami", "stampa", "rivela", "ripeti", "dimmi", "dammi", "traduci", "condividi", "elenca",  # it
    "mostre", "mostre-me", "imprima", "revele", "repita", "diga", "copie", "traduza", "compartilhe",  # pt
    "покажи", "покажите", "выведи", "выведите", "раскрой", "раскройте", "повтори", "повторите", "скажи",
    "скажите", "дай", "дайте", "напечатай", "распечатай", "переведи", "перечисли",  # ru
    "显示", "输出", "告诉我", "给我看", "打印", "重复", "说出", "透露", "列出", "展示", "翻译",  # zh
    "見せて", "出力", "教えて", "表示して", "繰り返して", "書き出して", "翻訳して",  # ja
    "أرني", "اطبع", "اكشف", "كرر", "أخبرني", "اعرض", "أعطني", "ترجم",  # ar
    "दिखाओ", "दिखाइए", "दिखाएं", "बताओ", "बताइए", "बताएं", "दोहराओ", "दोहराइए",  # hi
)
# "your / hidden / initial": what makes instructions the model's own, for the extraction rule ("system" does not:
# "muéstrame un ejemplo de prompt del sistema" asks for an example).
OWN_PHRASES = (
    "tu", "tus", "ocultas", "ocultos", "secretas", "iniciales", "originales",  # es
    "ton", "ta", "tes", "vos", "votre", "cachees", "secretes", "initiales",  # fr
    "dein", "deine", "deinen", "deiner", "versteckten", "geheimen", "ursprunglichen",  # de
    "tuo", "tua", "tuoi", "tue", "nascoste", "segrete", "iniziali", "originali",  # it
    "seu", "sua", "seus", "suas", "iniciais", "originais",  # pt
    "свой", "свои", "своё", "твой", "твои", "ваш", "ваши", "скрытые", "секретные", "исходные",  # ru
    "你的", "您的", "隐藏", "秘密", "初始", "原始",  # zh
    "あなたの", "隠された", "秘密の", "最初の", "元の",  # ja
    "الخاص بك", "الخاصة بك", "المخفية", "السرية", "الأولية", "الأصلية",  # ar
    "अपना", "अपने", "अपनी", "तुम्हारा", "तुम्हारे", "आपका", "आपके", "छिपे", "गुप्त", "शुरुआती",  # hi
)
# "for / about / on": instructions for something are a how-to ("dime tus reglas para una buena paella").
FOR_PHRASES = ("para", "pour", "fur", "per", "для", "про", "sobre", "sur", "uber", "su ")
# What an override is aimed at, in the forms INSTRUCTION_WORDS lacks (Russian cases, Arabic without its article,
# loanwords); read only by the rule, for the reason above.
OVERRIDDEN_PHRASES = (
    "указаниям", "указаниями", "инструкциям", "инструкциями", "инструкцию", "правилам", "правилами",  # ru
    "قواعد*", "تعليمات*", "أوامر",  # ar: stems that take the pronoun suffixes ("قواعدك", your rules)
    "ルール", "命令", "プロンプト",  # ja
    "prompt", "promptu", "промпт", "промпта", "提示词", "موجه", "प्रॉम्प्ट", "systemprompt",  # the prompt itself
    "instrucción", "regla", "règle", "istruzione", "regola", "instrução", "regra", "anweisung",  # singular
)
# "instructions / rules / prompt": what an override verb is aimed at (not English, as above).
INSTRUCTION_WORDS = (
    "instrucciones", "indicaciones", "reglas", "directrices",  # es
    "consignes", "règles",  # fr
    "anweisungen", "anweisung", "anleitungen", "regeln", "vorgaben", "richtlinien",  # de
    "istruzioni", "regole", "indicazioni", "direttive",  # it
    "instruções", "instrucoes", "regras", "diretrizes", "orientações",  # pt
    "instructies", "regels", "richtlijnen",  # nl
    "instrukcje", "instrukcji", "polecenia", "poleceń", "zasady",  # pl
    "instruksi", "perintah", "petunjuk", "aturan",  # id
    "talimatları", "talimatlar", "talimat", "yönergeleri", "yönergeler", "kuralları",  # tr
    "tagubilin", "panuto", "mga utos",  # tl
    "hướng dẫn", "chỉ dẫn", "chỉ thị",  # vi
    "инструкции", "инструкций", "указания", "указаний", "правила",  # ru
    "التعليمات", "تعليمات", "الأوامر", "القواعد",  # ar
    "निर्देश", "निर्देशों", "नियम", "नियमों",  # hi
    "নির্দেশ", "নির্দেশনা", "নিয়ম",  # bn
    "指令", "指示", "说明", "規則", "规则", "提示",  # zh / ja
    "지시", "지침", "명령", "규칙",  # ko
    "คำสั่ง", "คำแนะนำ", "กฎ",  # th
)
# "password / secret / passcode": what a system prompt keeps (not English, as above).
SECRET_WORDS = (
    "contraseña", "contraseñas", "clave", "secreto", "secreta",  # es
    "mot de passe", "secrète", "confidentiel",  # fr
    "passwort", "kennwort", "geheim", "geheimnis", "schlüssel",  # de
    "segreto", "segreta", "parola d'ordine",  # it
    "senha", "segredo", "secreta",  # pt
    "wachtwoord", "geheime",  # nl
    "hasło", "hasła", "tajne", "tajny", "sekret",  # pl
    "kata sandi", "sandi", "rahasia",  # id
    "şifre", "şifreyi", "parola", "gizli", "sır",  # tr
    "lihim",  # tl
    "mật khẩu", "bí mật",  # vi
    "пароль", "пароля", "секрет", "секретный", "секретное", "секретная", "тайна",  # ru
    "كلمة المرور", "كلمة السر", "السر", "السري", "سري", "سرية",  # ar
    "पासवर्ड", "गुप्त", "रहस्य",  # hi
    "পাসওয়ার্ড", "গোপন", "রহস্য",  # bn
    "密码", "密碼", "秘密", "机密", "密钥",  # zh
    "パスワード", "秘密", "暗証番号",  # ja
    "비밀번호", "비밀", "암호", "패스워드",  # ko
    "รหัสผ่าน", "ความลับ", "รหัสลับ",  # th
)
# "do not / never / must not": a prohibition, as a system prompt states one.
PROHIBITIONS = (
    "do not", "don't", "dont", "never", "must not", "should not", "shouldn't", "may not", "cannot", "can't",
    "not allowed", "not permitted", "not programmed", "under no circumstances", "avoid", "refuse", "prohibited",
    "forbidden", "strictly", "not to",
    "no ", "nunca", "nadie", "prohibido", "evita",  # es
    "ne ", "n'", "jamais", "personne", "interdit", "évite", "évitez",  # fr
    "nicht", "niemals", "keine", "niemandem", "verboten", "vermeide",  # de
    "non ", "nessuno", "vietato",  # it
    "não", "ninguém", "proibido", "evite",  # pt
    "niet", "nooit", "verboden",  # nl
    "nie ", "nigdy", "zabronione", "unikaj",  # pl
    "jangan", "tidak boleh", "dilarang", "hindari",  # id
    "asla", "yasak", "kimseye", "paylaşma*", "söyleme*", "açıklama*", "ifşa etme*", "tartışma*", "kaçın*",  # tr
    "huwag", "hindi dapat", "bawal",  # tl
    "đừng", "không được", "không bao giờ", "cấm", "tránh",  # vi
    "не ", "никогда", "нельзя", "запрещено", "избегай",  # ru
    "لا ", "لا تكشف", "لا تشارك", "ممنوع", "تجنب", "أبدا", "أبدًا",  # ar
    "मत", "न करें", "नहीं", "कभी नहीं", "वर्जित", "बचें",  # hi
    "করবেন না", "না ", "কখনও", "নিষিদ্ধ",  # bn
    "不要", "不得", "禁止", "切勿", "不能", "不可", "避免", "绝不", "別", "别",  # zh
    "しないで", "ないでください", "禁止", "決して", "避けて", "教えないで",  # ja
    "마세요", "마십시오", "말라", "않", "금지", "절대",  # ko
    "ห้าม", "อย่า", "ไม่ควร", "หลีกเลี่ยง",  # th
)
# "reveal / disclose / share it": a prohibition aimed at something the prompt itself holds.
REVEAL_WORDS = (
    "reveal", "disclose", "divulge", "leak", "share it", "tell anyone", "private", "personal", "confidential",
    "this prompt", "these instructions",
    "revelar", "reveles", "divulgar", "privada", "privado", "personal",  # es
    "révéler", "révèle", "divulguer", "privée", "personnelle",  # fr
    "verraten", "verrate", "preisgeben", "offenlegen", "privat", "persönlich",  # de
    "rivelare", "rivelarlo", "divulgare", "privata", "personale",  # it
    "revele", "divulgue", "privadas", "pessoal", "pessoais",  # pt
    "onthullen", "onthul", "prive", "persoonlijke",  # nl
    "ujawniaj", "ujawniać", "prywatne", "osobiste",  # pl
    "mengungkapkan", "ungkapkan", "bagikan", "pribadi",  # id
    "ifşa", "paylaşma", "kişisel", "özel",  # tr
    "ibunyag", "ibahagi", "pribado",  # tl
    "tiết lộ", "chia sẻ", "cá nhân", "riêng tư",  # vi
    "раскрывай", "раскрывать", "разглашай", "сообщай", "личн", "частн",  # ru
    "تكشف", "كشف", "تفصح", "تشارك", "الخاصة", "الشخصية",  # ar
    "प्रकट", "खुलासा", "साझा", "निजी", "व्यक्तिगत",  # hi
    "প্রকাশ", "শেয়ার", "ব্যক্তিগত",  # bn
    "透露", "泄露", "泄漏", "告诉任何人", "分享", "私人", "个人", "個人",  # zh
    "漏らさ", "明かさ", "教えない", "共有し", "個人情報",  # ja
    "공개", "누설", "알려주지", "공유하지", "개인",  # ko
    "เปิดเผย", "บอกใคร", "แชร์", "ส่วนตัว",  # th
)
# "system prompt / your instructions / what you were told": asking for the instructions themselves.
INSTRUCTION_REQUESTS = (
    "system prompt", "initial prompt", "your instructions", "your prompt", "you were told", "text above",
    "instructions above", "previous instructions", "prior instructions", "your rules", "been instructed",
    "prompt del sistema", "instrucciones anteriores", "tus instrucciones",  # es
    "prompt système", "instructions précédentes", "tes instructions", "vos instructions",  # fr
    "systemprompt", "vorherigen anweisungen", "deine anweisungen", "ihre anweisungen",  # de
    "prompt di sistema", "istruzioni precedenti", "tue istruzioni",  # it
    "prompt do sistema", "instruções anteriores", "suas instruções",  # pt
    "vorige instructies", "je instructies",  # nl
    "poprzednie instrukcje", "twoje instrukcje",  # pl
    "instruksi sebelumnya", "instruksi anda",  # id
    "önceki talimatları", "sistem istemi",  # tr
    "hướng dẫn trước", "lời nhắc hệ thống",  # vi
    "предыдущие инструкции", "системный промпт", "твои инструкции",  # ru
    "التعليمات السابقة", "موجه النظام",  # ar
    "पिछले निर्देश", "सिस्टम प्रॉम्प्ट",  # hi
    "পূর্ববর্তী নির্দেশ",  # bn
    "之前的指令", "以前的指令", "先前的指令", "系统提示", "系統提示",  # zh
    "以前の指示", "前の指示", "システムプロンプト",  # ja
    "이전 지시", "시스템 프롬프트",  # ko
    "คำสั่งก่อนหน้า",  # th
)

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


# The scripts a non-ASCII phrase can be in, by code point range; a text is searched only for the phrases of the
# scripts it has, so French accents do not cost a search for every Chinese, Hindi and Thai phrase.
_RANGES = (
    (0x0080, 0x024F, "latin"), (0x0400, 0x04FF, "cyrillic"), (0x0600, 0x06FF, "arabic"),
    (0x0900, 0x097F, "devanagari"), (0x0980, 0x09FF, "bengali"), (0x0E00, 0x0E7F, "thai"),
    (0x1100, 0x11FF, "hangul"), (0x1E00, 0x1EFF, "latin"), (0x3040, 0x30FF, "cjk"), (0x3130, 0x318F, "hangul"),
    (0x3400, 0x9FFF, "cjk"), (0xAC00, 0xD7AF, "hangul"), (0xF900, 0xFAFF, "cjk"),
)
_STARTS = [start for start, _, _ in _RANGES]
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_LATIN = frozenset({"latin"})


def _script(char: str) -> str | None:
    code = ord(char)
    i = bisect.bisect_right(_STARTS, code) - 1
    return _RANGES[i][2] if i >= 0 and code <= _RANGES[i][1] else None


def scripts(text: str) -> frozenset[str]:
    """The non-ASCII scripts `text` has characters of (none for ASCII text).

    One pass collects the text's non-ASCII characters; a regular-expression search per script would scan the
    whole text once for each (150 µs for 2,000 characters against 20).
    """
    if text.isascii():
        return frozenset()
    try:  # Western European text (é, ü, ñ, ß): one C call instead of collecting characters
        text.encode("latin-1")
        return _LATIN
    except UnicodeEncodeError:
        pass
    return frozenset(name for name in map(_script, set(_NON_ASCII_RE.findall(text))) if name is not None)


Span = tuple[int, int, bool]  # where a phrase is in a text: start, end, whether its script is written without spaces


def near(a: Span, b: Span, reach: int, unspaced: int) -> bool:
    """Whether two phrases are at most `reach` characters apart, in either order (`unspaced` when either is in a
    script without spaces, where a character is nearer a word)."""
    gap = unspaced if a[2] or b[2] else reach
    return -gap <= b[0] - a[1] <= gap or -gap <= a[0] - b[1] <= gap


def around(a: Span, b: Span, spans: list[Span], reach: int, unspaced: int) -> bool:
    """Whether one of `spans` lies between two phrases or within `reach` characters around them ("las
    instrucciones anteriores", "पिछले सभी निर्देशों को अनदेखा करो")."""
    gap = unspaced if a[2] or b[2] else reach
    low, high = min(a[0], b[0]) - gap, max(a[1], b[1]) + gap
    return any(low <= start and end <= high for start, end, _ in spans)


@dataclass(frozen=True)
class Phrases:
    """One concept's phrases, folded: single words of spaced scripts, and substrings (ASCII, and by script)."""

    words: frozenset[str]
    ascii_substrings: tuple[str, ...]
    by_script: dict[str, tuple[str, ...]]
    # a word each phrase cannot occur without (its longest), but for scripts without spaces: see `may_occur`
    triggers: frozenset[str] = frozenset()

    def may_occur(self, text: str, words: frozenset[str]) -> bool:
        """Whether a phrase may be in `text`, whose words (`features.word_set`) are `words`: one of the triggers is
        there, or the text is in a script without spaces.  A phrase that is part of a longer word ("no sigas" in
        "no sigaste") is not looked for: the rules that ask are for whole words."""
        return not self.triggers.isdisjoint(words) or (bool(self.by_script) and not text.isascii())

    def count(self, text: str, counts: Counter[str], present: frozenset[str] | None = None) -> int:
        """Occurrences in `text` (folded); `counts` are its word counts (as features tokenises it).

        `present` is `scripts(text)`, if the caller has it already.
        """
        found = sum(map(counts.__getitem__, counts.keys() & self.words))
        if self.ascii_substrings or self.by_script:
            padded = f" {text} "  # so that " не " is a word at either end too
            found += sum(1 for s in self.ascii_substrings if s in padded)
            if self.by_script and not text.isascii():
                for script in scripts(text) if present is None else present:
                    found += sum(1 for s in self.by_script.get(script, ()) if s in padded)
        return found

    def spans(self, text: str, present: frozenset[str] | None = None) -> list[Span]:
        """Where in `text` (folded) each phrase occurs: (start, end, whether it is in a script without spaces).

        Slower than `count` or `may_occur`: for a text one of them has found something in."""
        padded = f" {text} "
        found: list[Span] = []
        for word in self.words:
            if word in text:
                found.extend((m.start() - 1, m.end() - 1, False)
                             for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", padded))
        scripts_in = scripts(text) if present is None else present
        substrings = [*self.ascii_substrings, *(s for script in scripts_in for s in self.by_script.get(script, ()))]
        for phrase in substrings:
            start = padded.find(phrase)
            while start >= 0:
                found.append((start - 1, start - 1 + len(phrase), _UNSPACED_RE.search(phrase) is not None))
                start = padded.find(phrase, start + 1)
        return found


def _script_of(phrase: str) -> str:
    return next((name for name in map(_script, phrase) if name is not None), "latin")


def _words_of(phrase: str) -> list[str]:
    return [t for t in _TOKEN_RE.findall(phrase) if t.isalnum()]


def phrases(raw: tuple[str, ...]) -> Phrases:
    words: set[str] = set()
    ascii_subs: set[str] = set()
    other: dict[str, set[str]] = {}
    for phrase in raw:
        # a trailing space marks a short word that must not match inside longer ones ("не ", "nie "): it is
        # matched with a space on both sides; a trailing * marks a stem that takes suffixes (Turkish "paylaşma*")
        spaced, stem = phrase.endswith(" "), phrase.endswith("*")
        folded = normalize(phrase.rstrip("*"))
        folded = f" {folded} " if spaced else folded
        tokens = _TOKEN_RE.findall(folded)
        if len(tokens) == 1 and not _UNSPACED_RE.search(folded) and not spaced and not stem:
            words.add(tokens[0])
        elif folded.isascii():
            ascii_subs.add(folded)
        else:
            other.setdefault(_script_of(folded), set()).add(folded)
    ordered = tuple(sorted(ascii_subs))
    # a phrase of several words is there only if each of them is: its longest (the rarest, as a rule) stands for it
    triggers = frozenset(words) | {max(_words_of(sub), key=len) for sub in ordered if _words_of(sub)} | {
        max(_words_of(sub), key=len) for found in other.values() for sub in found
        if _words_of(sub) and not _UNSPACED_RE.search(sub)}
    return Phrases(frozenset(words), ordered, {script: tuple(sorted(found)) for script, found in sorted(other.items())},
                   triggers)


OVERRIDE = phrases(OVERRIDE_VERBS)
DISOBEY = phrases(DISOBEY_PHRASES)
OVERRIDDEN = phrases(OVERRIDDEN_PHRASES)
QUALIFIER = phrases(QUALIFIER_PHRASES)
SHOW = phrases(SHOW_PHRASES)
OWN = phrases(OWN_PHRASES)
FOR = phrases(FOR_PHRASES)
INSTRUCTIONS = phrases(INSTRUCTION_WORDS)
SECRETS = phrases(SECRET_WORDS)
PROHIBITION = phrases(PROHIBITIONS)
REVEAL = phrases(REVEAL_WORDS)
ASKS_FOR_INSTRUCTIONS = phrases(INSTRUCTION_REQUESTS)
