"""The four articles the product draws on (CLINICAL.md §6), by the titles people see.

Data and code name an article by its file name in seeds/ (the catalogue's `sources`, the rules'
SOURCES); people never see those: pages show the title and link to /sources/<key>/, which says
in the product's own words what the product takes from that article.
"""

from dataclasses import dataclass

from reminders.languages import is_english


@dataclass(frozen=True)
class Source:
    key: str  # "a0": the URL's key, CLINICAL.md's A0
    file_name: str  # in seeds/: for data and code only
    title_zh: str
    title_en: str
    takes_zh: tuple[str, ...]  # what the product takes from it, in its own words
    takes_en: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.key.upper()

    def title(self, language: str | None = None) -> str:
        return self.title_en if is_english(language) else self.title_zh

    def takes(self, language: str | None = None) -> tuple[str, ...]:
        return self.takes_en if is_english(language) else self.takes_zh


SOURCES: dict[str, Source] = {
    source.key: source
    for source in (
        Source(
            key="a0",
            file_name="000_91ad0826311c97d2.txt",
            title_zh="小腿麻木是怎么回事",
            title_en="What causes calf numbness?",
            takes_zh=(
                "小腿麻木有多种原因（腰椎神经受压、血液循环问题、孕期等），麻木持续或加重需要就医。",
                "练习：孕期每天踝泵运动 20 次；循环不好的人每天快走 20 分钟；五点支撑。",
                "规则：麻木加重或向腿的下方蔓延、走路时因腿部症状不得不停下、孕期麻木超过两周，"
                "都会提醒您的治疗师。",
            ),
            takes_en=(
                "Calf numbness has several causes (a pressed nerve in the low back, poor "
                "circulation, pregnancy); numbness that lasts or grows needs a doctor.",
                "Exercises: ankle pumps 20 times a day in pregnancy; brisk walking 20 minutes a "
                "day for circulation; the five-point bridge.",
                "Rules: numbness that grows or spreads down the leg, having to stop walking "
                "because of the leg, and numbness in pregnancy for more than two weeks alert "
                "your therapist.",
            ),
        ),
        Source(
            key="a1",
            file_name="001_97c5ca15f4c0d3eb.txt",
            title_zh="腰脱压迫神经导致的腿疼",
            title_en="Leg pain when a herniated lumbar disc presses on a nerve",
            takes_zh=(
                "腰椎间盘突出压迫神经会引起腿痛；多数人经保守治疗好转，少数需要手术评估。",
                "练习：久坐每 30 分钟起身活动；五点支撑；小燕飞（腰椎不稳者不做）；"
                "孕期避免久站和负重弯腰。",
                "规则：新出现的大小便问题或会阴麻木、无法用脚跟或脚尖走路，会让您立即看急诊；"
                "保守治疗 3 个月以上腿痛仍改善不足，会提醒治疗师考虑转诊。",
            ),
            takes_en=(
                "A herniated lumbar disc pressing on a nerve causes leg pain; most people "
                "improve with conservative care, a few need a surgical assessment.",
                "Exercises: stand up every 30 minutes of sitting; the five-point bridge; the "
                "prone back extension (not with lumbar instability); in pregnancy, no long "
                "standing or bending with loads.",
                "Rules: new bowel or bladder trouble, saddle numbness, or not being able to "
                "walk on heels or toes send you to emergency care now; more than 3 months of "
                "conservative care without enough leg-pain relief prompts a referral.",
            ),
        ),
        Source(
            key="a2",
            file_name="002_0834f866768f61f9.txt",
            title_zh="腰突患者必看！腿麻不是好转，是神经在“求救”",
            title_en=(
                "Leg numbness in disc herniation is not improvement: the nerve is calling for help"
            ),
            takes_zh=(
                "疼痛减轻而麻木加重，并不是好转，可能是神经受压更重了。",
                "规则：一周内疼痛下降而麻木明显上升、麻木加重或向下蔓延、走路不得不停下、"
                "大小便问题或会阴麻木，都会提醒您的治疗师（最后两项要立即看急诊）。",
            ),
            takes_en=(
                "Pain easing while numbness grows is not improvement: the nerve may be more "
                "compressed.",
                "Rules: pain falling while numbness clearly rises over a week, numbness that "
                "grows or spreads down the leg, having to stop walking, and bowel or bladder "
                "trouble or saddle numbness alert your therapist (the last two mean emergency "
                "care now).",
            ),
        ),
        Source(
            key="a3",
            file_name="003_550b9b7c9cec398b.txt",
            title_zh="小腿痉挛伴腰臀痛？警惕坐骨神经受压的报警信号",
            title_en=(
                "Calf cramps with low back and buttock pain: "
                "warning signs of sciatic nerve compression"
            ),
            takes_zh=(
                "急性期（疼痛开始的 1–2 周）：热敷 40–45 °C、每次 15–20 分钟、每天 2–3 次，"
                "轻柔活动，不按摩、不牵引。",
                "恢复期（疼痛缓解 2 周后）：五点支撑、臀桥、平板支撑等核心训练，"
                "疼痛消失后仍坚持 1–3 个月。",
                "练习：每坐 40 分钟做腰臀拉伸操；老年人靠墙站立、直腿抬高；"
                "产后 6 周起凯格尔运动和腹式呼吸。",
                "规则：疼痛比上次骤升、夜间痛影响睡眠、疼痛两周以上不见好转、"
                "锻炼明显减少，都会提醒您的治疗师；大小便问题、会阴麻木、"
                "无法用脚跟或脚尖走路要立即看急诊。",
            ),
            takes_en=(
                "Acute phase (the first 1–2 weeks of pain): heat at 40–45 °C for 15–20 minutes "
                "2–3 times a day, gentle activity, no massage and no traction.",
                "Recovery phase (once pain has eased for 2 weeks): core training such as the "
                "five-point bridge, glute bridge and plank, kept up for 1–3 months after the "
                "pain is gone.",
                "Exercises: the waist–hip stretch every 40 minutes of sitting; wall standing and "
                "straight-leg raises for older people; Kegel exercises and diaphragmatic "
                "breathing from 6 weeks after giving birth.",
                "Rules: pain much worse than last time, night pain that stops sleep, pain "
                "without improvement for more than two weeks, and exercise sessions dropping "
                "alert your therapist; bowel or bladder trouble, saddle numbness or not being "
                "able to walk on heels or toes mean emergency care now.",
            ),
        ),
    )
}
BY_FILE_NAME = {source.file_name: source for source in SOURCES.values()}


def source_get(*, key: str) -> Source | None:
    return SOURCES.get(key.lower())


def sources_for_files(file_names) -> list[Source]:
    """The articles behind a list of seed file names, in the list's order; unknown names are
    left out (the catalogue loader only accepts known ones)."""
    return [BY_FILE_NAME[name] for name in file_names or () if name in BY_FILE_NAME]
