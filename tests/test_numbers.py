"""Tests for assistant.numbers (quantity extraction and answer guarding)."""
from pathlib import Path

import pytest

from assistant.numbers import Quantity, extract_quantities, same_value, unverified_numbers

SPEECH = Path("/work/shared/corpus/speech-2022-district-cadre-conference.txt")

# (text, surface, value, unit, kind) -- the surface must be found as exactly one quantity
POSITIVE = [
    # amounts with multipliers
    ("总投资1370亿元的项目", "1370亿元", 1.37e11, "元", "amount"),
    ("总投资1,370亿元", "1,370亿元", 1.37e11, "元", "amount"),
    ("总投资一千三百七十亿元", "一千三百七十亿元", 1.37e11, "元", "amount"),
    ("完成投资267万元", "267万元", 2.67e6, "元", "amount"),
    ("营业收入42.3亿元", "42.3亿元", 4.23e9, "元", "amount"),
    ("净利润2.3亿元", "2.3亿元", 2.3e8, "元", "amount"),
    ("纳税2亿元", "2亿元", 2e8, "元", "amount"),
    ("规模1.2万亿元", "1.2万亿元", 1.2e12, "元", "amount"),
    ("年产值超百亿元", "超百亿元", 1e10, "元", "amount"),
    ("年产值百亿元的企业", "百亿元", 1e10, "元", "amount"),
    ("达到300亿元", "300亿元", 3e10, "元", "amount"),
    ("投资５００万元", "５００万元", 5e6, "元", "amount"),
    ("引资3千万美元", "3千万美元", 3e7, "美元", "amount"),
    ("补贴两百元", "两百元", 200, "元", "amount"),
    ("投资267亿元以上", "267亿元以上", 2.67e10, "元", "amount"),
    # plain multiplier figures
    ("人口3万", "3万", 3e4, "", "plain"),
    ("规模1.2万亿", "1.2万亿", 1.2e12, "", "plain"),
    ("打造千亿产业集群", "千亿", 1e11, "", "plain"),
    ("代号97193", "97193", 97193, "", "plain"),
    # percentages
    ("老龄化率23.6%", "23.6%", 23.6, "%", "percent"),
    ("老龄化率23.6％", "23.6％", 23.6, "%", "percent"),
    ("老龄化率百分之二十三点六", "百分之二十三点六", 23.6, "%", "percent"),
    ("同比增长10.6%", "10.6%", 10.6, "%", "percent"),
    ("提高23.6个百分点", "23.6个百分点", 23.6, "个百分点", "percent"),
    ("下降一个百分点", "一个百分点", 1, "个百分点", "percent"),
    ("千分比3‰", "3‰", 3, "‰", "percent"),
    ("增长百分之五", "百分之五", 5, "%", "percent"),
    ("整体4.3%负增长", "4.3%负增长", 4.3, "%", "percent"),
    # fractions
    ("占全市1/4", "1/4", 0.25, "", "fraction"),
    ("占全市四分之一", "四分之一", 0.25, "", "fraction"),
    ("超过三分之二", "超过三分之二", 2 / 3, "", "fraction"),
    ("千分之五的比例", "千分之五", 0.005, "", "fraction"),
    # ranges
    ("用3至5年时间", "3至5年", 3, "年", "range"),
    ("建设3-5个园区", "3-5个", 3, "个", "range"),
    ("引进10～20家企业", "10～20家", 10, "家", "range"),
    ("三到五年内", "三到五年", 3, "年", "range"),
    ("补助3-5万元", "3-5万元", 3e4, "元", "range"),
    ("提高20%-30%", "20%-30%", 20, "%", "range"),
    ("2021—2025年规划", "2021—2025年", 2021, "年", "range"),
    # years and dates
    ("1955年建区以来", "1955年", 1955, "年", "year"),
    ("2021年营业收入", "2021年", 2021, "年", "year"),
    ("二〇二二年是关键之年", "二〇二二年", 2022, "年", "year"),
    ("二零二二年", "二零二二年", 2022, "年", "year"),
    ("２０２２年", "２０２２年", 2022, "年", "year"),
    ("2035年远景目标", "2035年", 2035, "年", "year"),
    ("定于3月15日", "3月", 3, "月", "plain"),
    ("定于3月15日", "15日", 15, "日", "plain"),
    # durations
    ("连续五年亏损", "五年", 5, "年", "count"),
    ("近二十年最佳业绩", "近二十年", 20, "年", "count"),
    ("三年行动计划", "三年", 3, "年", "count"),
    ("用了3个月", "3个月", 3, "个月", "count"),
    ("打造15分钟生活圈", "15分钟", 15, "分钟", "count"),
    ("工作30天", "30天", 30, "天", "count"),
    ("20多年来", "20多年", 20, "年", "count"),
    # ordinals
    ("新中国第一台拖拉机", "第一台", 1, "台", "ordinal"),
    ("获得第3名", "第3名", 3, "名", "ordinal"),
    ("第二十批", "第二十批", 20, "批", "ordinal"),
    # counts with measure words
    ("252个重大项目", "252个", 252, "个", "count"),
    ("老旧小区228个", "228个", 228, "个", "count"),
    ("划分为46个片区", "46个", 46, "个", "count"),
    ("涉及51397户", "51397户", 51397, "户", "count"),
    ("6个“共和国工业长子”", "6个", 6, "个", "count"),
    ("全部41个工业门类", "41个", 41, "个", "count"),
    ("300余家企业", "300余家", 300, "家", "count"),
    ("超过1万多人", "超过1万多人", 1e4, "人", "count"),
    ("60岁以上老人", "60岁以上", 60, "岁", "count"),
    ("学校5所", "5所", 5, "所", "count"),
    ("实施12项工程", "12项", 12, "项", "count"),
    ("建成两座桥", "两座", 2, "座", "count"),
    ("修路十五条", "十五条", 15, "条", "count"),
    ("选派20名干部", "20名", 20, "名", "count"),
    ("召开3次会议", "3次", 3, "次", "count"),
    ("第二批共8批", "8批", 8, "批", "count"),
    ("种植500亩", "500亩", 500, "亩", "count"),
    ("新建道路12.5公里", "12.5公里", 12.5, "公里", "count"),
    ("改造3万平方米", "3万平方米", 3e4, "平方米", "count"),
    ("约200人参加", "约200人", 200, "人", "count"),
    ("近百万人", "近百万人", 1e6, "人", "count"),
    ("引进15个项目", "15个", 15, "个", "count"),
    ("讲三个方面意见", "三个", 3, "个", "count"),
    ("拖拉机８台", "８台", 8, "台", "count"),
]


@pytest.mark.parametrize("text,surface,value,unit,kind", POSITIVE)
def test_positive_forms(text, surface, value, unit, kind):
    qs = [q for q in extract_quantities(text) if q.text == surface]
    assert len(qs) == 1, extract_quantities(text)
    q = qs[0]
    assert text[q.start:q.end] == q.text
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.kind == kind


# texts in which NO quantity may be found
NEGATIVE = [
    "2022年是党的二十大召开之年"[5:],  # "是党的二十大召开之年"
    "党的二十大",
    "党的十九届六中全会",
    "随着“一五”时期",
    "科学谋划了“十四五”发展规划",
    "十三五时期",
    "一要做强主导产业，二要强化数字化赋能，三要加快动能转换",
    "一是量力而行，二是既要面子",
    "一方面，从现实基础看；另一方面",
    "一起努力，一定会更加红火，一样的道理",
    "全省统一开展，全省唯一工业遗产",
    "拥有一批年产值高的企业",
    "来自五湖四海、各行各业",
    "一荣俱荣、一损俱损",
    "一砖一瓦、一草一木",
    "不能搞“一刀切”",
    "控煤、控尘“六控”为重点",
    "“四大结构调整”为主线",
    "生态环境建设“五大行动”",
    "推进辖区“一河两渠”治理",
    "党建引领、‘四治’并进",
    "实施新一轮“三大改造”",
    "三番五次、三天两头",
    "千家万户、万人空巷",
    "千万不能松懈",
    "一锤接着一锤敲、一年接着一年干",
    "一座城有一座城的过去，一代人有一代人的回忆",
    "高于全市*个百分点",
    "老人超过**万人",
    "涉及群众***户**人",
    "**人是我们共同的名字",
    "支持一拖5G+氢燃料电动拖拉机",
    "此后的数十年，几百人",
    "四新两特三争先",
    "三区两中心一枢纽",
    "一亩三分地",
    "三五年，一一一个",
    "一天不懈怠、一刻不松劲、一步不停歇",
    "1. 总体要求\n2、主要任务（3）保障措施",
    "支持专精特新[38]和小巨人企业[39]发展壮大",  # a note's markers
    "",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_quantities(text):
    assert extract_quantities(text) == []


def test_items():
    text = "抓好总投资1370亿元的252个重大项目，目前尚有老旧小区228个，划分为46个片区"
    items = {q.text: q.item for q in extract_quantities(text)}
    assert items == {"1370亿元": "总投资", "252个": "重大项目", "228个": "老旧小区", "46个": "片区"}
    qs = extract_quantities("完成营业收入42.3亿元、净利润2.3亿元，**老龄化率23.6%")
    assert [q.item for q in qs] == ["营业收入", "净利润", "老龄化率"]
    q = extract_quantities("轴承企业2021年营业收入52.3亿元")[1]
    assert (q.item, q.value, q.unit) == ("营业收入", 5.23e9, "元")


def test_qualifiers_and_ranges():
    q = extract_quantities("已超百亿元")[0]
    assert (q.qualifier, q.value) == ("超", 1e10)
    assert extract_quantities("300余家")[0].qualifier == "余"
    assert extract_quantities("60岁以上")[0].qualifier == "以上"
    assert extract_quantities("近二十年")[0].qualifier == "近"
    assert extract_quantities("约3个")[0].qualifier == "约"
    assert extract_quantities("4.3%负增长")[0].qualifier == "负增长"
    r = extract_quantities("用3至5年时间")[0]
    assert (r.value, r.high, r.unit) == (3, 5, "年")
    assert extract_quantities("252个")[0].high is None


@pytest.mark.parametrize("text, surface, low, high, unit", [
    ("处一万元以上五万元以下的罚款", "一万元以上五万元以下", 1e4, 5e4, "元"),
    ("处骗取金额二倍以上五倍以下的罚款", "二倍以上五倍以下", 2, 5, "倍"),
    ("暂停其三个月以上十二个月以下联网结算", "三个月以上十二个月以下", 3, 12, "个月"),
    ("处5000元以上2万元以下罚款", "5000元以上2万元以下", 5000, 2e4, "元"),
])
def test_a_lower_and_an_upper_bound_are_one_range(text, surface, low, high, unit):
    """A 条例 writes its penalties as "X以上Y以下": one range, so 二倍以上五倍以下 ≠ 一倍以上二倍以下."""
    (q,) = extract_quantities(text)
    assert (q.text, q.value, q.high, q.unit, q.kind) == (surface, low, high, unit, "range")
    assert not same_value(q, extract_quantities("一倍以上二倍以下")[0])
    # bounds in different units, or not adjacent, stay two figures
    assert len(extract_quantities("60岁以上、80岁以下")) == 2
    assert len(extract_quantities("增长5%以上，控制在3%以下")) == 2


def test_offsets_and_order():
    text = "１９５５年建区，“一五”时期6个长子，全部41个工业门类中有39个，占1/4。"
    qs = extract_quantities(text)
    assert [q.text for q in qs] == ["１９５５年", "6个", "41个", "39个", "1/4"]
    assert all(text[q.start:q.end] == q.text for q in qs)
    assert all(a.end <= b.start for a, b in zip(qs, qs[1:]))


def test_same_value():
    def one(t: str) -> Quantity:
        [q] = extract_quantities(t)
        return q
    a = one("1370亿元")
    assert same_value(a, one("1,370亿元"))
    assert same_value(a, one("一千三百七十亿元"))
    assert same_value(one("23.6%"), one("百分之二十三点六"))
    assert same_value(one("1/4"), one("四分之一"))
    assert not same_value(one("267亿元"), one("267万元"))
    assert not same_value(one("23.6%"), one("23.6个百分点"))
    assert not same_value(one("第3名"), one("3名"))
    assert not same_value(one("3至5年"), one("3年"))
    assert a.key() == (1.37e11, "元")


def test_unverified_numbers():
    evidence = ["抓好总投资1370亿元的252个重大项目，确保年度完成投资267亿元以上",
                "**老龄化率23.6%，高于全市*个百分点"]
    assert unverified_numbers("总投资一千三百七十亿元，共252个项目", evidence) == []
    assert unverified_numbers("老龄化率为百分之二十三点六", evidence) == []
    assert unverified_numbers("计划投资1370亿", evidence) == []  # unit-less, same value
    bad = unverified_numbers("年度完成投资267万元，老龄化率24.6%", evidence)
    assert [q.text for q in bad] == ["267万元", "24.6%"]
    # ordinals, enumerators, idioms and named programmes are not checked
    assert unverified_numbers("1. 第一台拖拉机，一是五湖四海，二是“六控”", []) == []
    assert [q.text for q in unverified_numbers("轴承企业2021年营业收入52.3亿元",
                                               ["2021年完成营业收入42.3亿元"])] == ["52.3亿元"]


def test_speech_smoke():
    if not SPEECH.exists():
        pytest.skip("speech corpus not available")
    text = SPEECH.read_text(encoding="utf-8")
    qs = extract_quantities(text)
    texts = [q.text for q in qs]
    for expected in ["1370亿元", "252个", "228个", "46个", "51397户", "1955年", "23.6%",
                     "4.3%负增长", "超百亿元", "15分钟", "第一台", "41个", "39个", "1/4"]:
        assert expected in texts, expected
    assert all(text[q.start:q.end] == q.text for q in qs)
    assert not any(("二十大" in q.text or "十四五" in q.text or "一五" in q.text) for q in qs)
    assert all(q.value is not None for q in qs)


# -- figures in any notation (issue 10): each form gives its value and unit, and pairs with
#    the same figure written another way.  (form, surface, value, unit, same figure elsewhere)
NOTATIONS = [
    ("Chinese decimal", "人均预期寿命增长到七十八点二岁", "七十八点二岁", 78.2, "岁", "增长到78.2岁"),
    ("Chinese 亿+万", "覆盖十亿四千万人", "十亿四千万人", 1.04e9, "人", "覆盖10.4亿人"),
    ("万亿 Arabic/Chinese", "从1万亿元增加", "1万亿元", 1e12, "元", "从一万亿元增加"),
    ("万 inside 亿", "增加到二万八千亿元", "二万八千亿元", 2.8e12, "元", "增加到2.8万亿元"),
    ("Chinese thousands", "从三万九千八百元增加", "三万九千八百元", 39800, "元", "从39800元增加"),
    ("百分之 decimal", "比重达百分之十八点五", "百分之十八点五", 18.5, "%", "比重达18.5%"),
    ("百分点", "提高十一点六个百分点", "十一点六个百分点", 11.6, "个百分点", "提高11.6个百分点"),
    ("year in 〇", "到二〇三五年基本实现", "二〇三五年", 2035, "年", "到2035年基本实现"),
    ("多 before 万", "九千六百多万名党员", "九千六百多万名", 9.6e7, "名", "9600多万名党员"),
    ("余 before 万", "十余万人参加", "十余万人", 1e5, "人", "10余万人参加"),
    ("多 before 亿", "三万多亿元", "三万多亿元", 3e12, "元", "3万多亿元"),
    ("多 after 万", "1.1万多人", "1.1万多人", 1.1e4, "人", "一点一万多人"),
    ("以上", "城镇新增就业一千二百万人以上", "一千二百万人以上", 1.2e7, "人", "城镇新增就业1200万人以上"),
    ("左右", "增长百分之五左右", "百分之五左右", 5, "%", "增长5%左右"),
    ("百分之 range", "增长百分之五到百分之六", "百分之五到百分之六", 5, "%", "增长5%-6%"),
    ("百分之 short range", "增长百分之五至六", "百分之五至六", 5, "%", "增长5%至6%"),
    ("Chinese range", "用三至五年时间", "三至五年", 3, "年", "用3至5年时间"),
    ("measure 亩", "十八亿亩耕地", "十八亿亩", 1.8e9, "亩", "18亿亩耕地"),
    ("measure 千瓦", "装机5000万千瓦", "5000万千瓦", 5e7, "千瓦", "装机五千万千瓦"),
    ("fraction", "占全市四分之一", "四分之一", 0.25, "", "占全市1/4"),
    ("tenths 成", "七成以上的居住区", "七成以上", 70, "%", "70%以上居住区"),
    ("tenths 近", "近三成企业", "近三成", 30, "%", "近30%的企业"),
    ("full width", "增长１０．６％", "１０．６％", 10.6, "%", "增长10.6%"),
]


def _only(text, surface):
    qs = [q for q in extract_quantities(text) if q.text == surface]
    assert len(qs) == 1, extract_quantities(text)
    return qs[0]


@pytest.mark.parametrize("form,text,surface,value,unit,other", NOTATIONS, ids=[n[0] for n in NOTATIONS])
def test_notation_value_unit_and_pairing(form, text, surface, value, unit, other):
    q = _only(text, surface)
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    others = [o for o in extract_quantities(other) if o.kind != "ordinal"]
    assert len(others) == 1, others
    assert same_value(q, others[0]), (q, others[0])


@pytest.mark.parametrize("a,b", [
    ("覆盖九亿四千万人", "覆盖10.4亿人"),
    ("从1万亿元增加到3.8万亿元", "从一万亿元增加到二万八千亿元"),
    ("比重达百分之十六点五", "比重达18.5%"),
    ("到二〇三五年", "到2030年"),
    ("七十八点二岁", "七十八点一岁"),
    ("九千六百多万名", "9600多名"),
])
def test_notation_different_figures_do_not_pair(a, b):
    qa, qb = extract_quantities(a)[-1], extract_quantities(b)[-1]
    assert not same_value(qa, qb)


@pytest.mark.parametrize("text", ["千家万户", "五湖四海", "三番五次", "万众一心", "一心一意",
                                  "一成不变", "三五成群", "形成了", "三成员"])
def test_notation_non_figures_stay_out(text):
    # 多/余 before a multiplier do not turn numeral idioms into figures
    assert extract_quantities(text) == []


@pytest.mark.parametrize("text,shown", [
    ("比重达百分之十八点五", ["百分之十八点五 = 18.5%"]),
    ("人均预期寿命增长到七十八点二岁", ["七十八点二岁 = 78.2岁"]),
    ("提高十一点六个百分点", ["十一点六个百分点 = 11.6个百分点"]),
    ("九千六百多万名", ["九千六百多万名 = over 9600万名"]),
    ("从五十四万亿元增长到一百一十四万亿元", ["五十四万亿元 = 54万亿元", "一百一十四万亿元 = 114万亿元"]),
    ("处一万元以上五万元以下的罚款", ["一万元以上五万元以下 = 1万–5万元"]),
    ("到二〇三五年", ["二〇三五年 = 2035年"]),
    ("十五个工作日内", ["十五个工作日 = 15个工作日"]),
    ("一是加强，第三十七条，三分之一，增长5.2%", []),
])
def test_chinese_numeral_figures_in_arabic(text, shown):
    from assistant.numbers import chinese_numeral_figures, in_arabic

    assert [f"{q.text} = {in_arabic(q)}" for q in chinese_numeral_figures(text)] == shown


def test_a_list_number_before_a_year_is_no_decimal():
    """"附件：1.2019年…工作指标": item 1, then the year 2019 — not the figure 1.2019."""
    qs = [(q.text, q.kind) for q in extract_quantities("附件：1.2019年宝山区生活垃圾分类工作指标")]
    assert ("2019年", "year") in qs and not any(t.startswith("1.2") for t, _k in qs)
    assert extract_quantities("增长1.5%")[0].value == pytest.approx(1.5)  # a real decimal stays one


def test_an_appendix_number_is_an_ordinal_not_a_figure():
    """"附件2" numbers an appendix (like 第2): study notes do not list it among the key figures."""
    from assistant.numbers import extract_quantities

    assert [(q.text, q.kind) for q in extract_quantities("附件2\n详见附件 3，第3名")] == [
        ("附件2", "ordinal"), ("附件 3", "ordinal"), ("第3名", "ordinal")]
