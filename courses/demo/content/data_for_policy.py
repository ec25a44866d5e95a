"""Demo course: data basics for policy."""

from courses.demo.spec import CourseSpec, LessonSpec, ModuleSpec

COURSE = CourseSpec(
    key="data_for_policy",
    title="Data basics for policy",
    summary=(
        "Use data and statistics with confidence when you develop, brief or evaluate policy. Learn where "
        "data comes from and what it can't tell you, how to read averages, samples and uncertainty, how to "
        "avoid confusing correlation with causation, and how to present numbers honestly."
    ),
    audience="Policy advisers, analysts' customers and anyone who briefs senior leaders using figures.",
    competences={"1.2": 4, "1.3": 3},
    modules=(
        ModuleSpec(
            "Understanding data",
            (
                LessonSpec(
                    "Where data comes from",
                    8,
                    """\
## Every number has a history

Before you use a figure, find out how it was produced. The same word — "unemployment", "waiting time",
"household" — can be measured in quite different ways.

## Common sources in government

| Source | Strengths | Watch out for |
|---|---|---|
| Administrative data (case systems, benefits, tax) | Large, often complete, frequent | Measures what the process records, not the real world; changes when rules change |
| Surveys | Can ask about attitudes and behaviour; representative if well designed | Sampling error, non-response, self-reporting |
| Census | Near-complete coverage, small areas | Infrequent; ages quickly |
| Management information | Timely, operational | Definitions drift; not always quality assured |
| Open and third-party data | Fills gaps | Unknown methods; licence and quality questions |

## Questions to ask about any dataset

1. **Who collected it, and why?** Data collected for one purpose can mislead when used for another.
2. **What exactly is counted?** People, cases, applications, or events?
3. **Who is missing?** People who don't use a service don't appear in its records.
4. **When and how often?** Is it the latest, and has the method changed over time?
5. **How reliable is it?** Look for quality notes, official statistics badges or methodology papers.

## Official statistics

Official statistics come with published methods and quality information, and are produced under a code
of practice that protects their independence. Prefer them where they exist, and cite them exactly:
publisher, title, date and the specific table.

## Talk to your analysts early

Analysts know the quirks of the data. A ten-minute conversation at the start of a piece of work can save
weeks and prevent a misleading briefing.
""",
                ),
                LessonSpec(
                    "Averages and spread",
                    8,
                    """\
## The mean, the median and the mode

An "average" can mean different things, and choosing the wrong one can tell the wrong story.

- **Mean**: add up all values and divide by how many there are.
- **Median**: the middle value when values are sorted.
- **Mode**: the most common value.

## Why it matters

Consider processing times for ten applications, in days:

`2, 3, 3, 4, 4, 5, 5, 6, 7, 61`

| Measure | Value |
|---|---|
| Mean | 10 days |
| Median | 4.5 days |
| Mode | 3, 4 and 5 (tied) |

One very slow case pulls the mean up to 10 days, though nine in ten applications took a week or less. For
**skewed** data such as incomes, house prices and waiting times, the median usually describes a typical
case better. The mean still matters for totals and budgets.

## Spread

Averages hide variation. Two services with a median wait of 4 weeks can be very different if one ranges
from 3 to 5 weeks and the other from 1 to 30. Report spread as well:

- the **range** (smallest to largest) — sensitive to extremes;
- **percentiles** — "90% of cases were decided within 12 weeks" is often the most useful policy measure;
- the **interquartile range** — the middle half of the values.

## Rates, not counts

Counts grow with population. Compare areas or years using **rates** (per 1,000 people, per 100 applications)
and say what the denominator is.
""",
                ),
            ),
        ),
        ModuleSpec(
            "Evaluating evidence",
            (
                LessonSpec(
                    "Samples and uncertainty",
                    8,
                    """\
## Most figures are estimates

Surveys ask a sample, not everyone, so their results are **estimates** with a margin of uncertainty. Even
administrative data has errors and gaps.

## Sample size and representativeness

- A **bigger sample** narrows the uncertainty, but only if it is **representative**. A huge self-selected
  online poll can be less reliable than a small random sample.
- Beware of results for **small subgroups**: a national survey of 2,000 people might contain only a few
  dozen in one region or age group.

## Confidence intervals

A **confidence interval** gives a range within which the true value is likely to lie. For example, a survey
might estimate that 62% of residents are satisfied, with a 95% confidence interval of 58% to 66%.

- If last year's figure was 60%, the change is **not** clearly real: the intervals overlap heavily.
- Don't report "satisfaction rose by 2 points" as a finding unless the analysts say it is statistically
  significant.

## Questions to ask analysts

1. How big was the sample and how was it chosen?
2. What is the margin of error on this figure?
3. Is this change or difference statistically significant?
4. Is the subgroup large enough to report?

## Writing about uncertainty

| Overstated | Honest |
|---|---|
| "62% of residents are satisfied." | "About 6 in 10 residents are satisfied." |
| "Satisfaction has increased." | "Satisfaction is similar to last year." |
| "Region X is the worst performing." | "Region X has one of the lowest rates, though the difference from most regions is small." |
""",
                ),
                LessonSpec(
                    "Correlation, causation and misleading comparisons",
                    8,
                    """\
## Correlation is not causation

Two things that move together are **correlated**. That doesn't mean one causes the other. Common reasons:

- **A third factor** drives both. Areas with more libraries may have higher exam results — and both may
  reflect local income.
- **Reverse causation**. Places with more police might have more crime because police are sent where
  crime is high.
- **Coincidence**. With enough data, some series will line up by chance.

To show that a policy *caused* an outcome, you need a fair comparison: what would have happened without it?
Randomised trials, pilots with comparison groups and careful evaluations do this. A before-and-after chart
alone usually can't.

## Misleading comparisons to watch for

| Trap | Example | Better |
|---|---|---|
| Relative vs absolute risk | "Risk doubled!" (from 1 in 10,000 to 2 in 10,000) | Give both figures |
| Cherry-picked start date | Trend starts in an unusually bad year | Show a longer series |
| Changed definitions | A "jump" caused by a new recording rule | Note breaks in the series |
| Survivorship | Studying only businesses that are still trading | Include those that closed |
| Regression to the mean | Extreme areas "improve" after an intervention | Compare with similar areas |

## A sense check for any claim

1. Is the number plausible? Compare it with something you know (the population, last year's budget).
2. What is it being compared with?
3. Could anything else explain it?
4. Who produced it, and do they have an interest in the answer?
""",
                ),
            ),
        ),
        ModuleSpec(
            "Presenting data",
            (
                LessonSpec(
                    "Choosing the right chart",
                    7,
                    """\
## Start from the message

Decide what you want the reader to see, then choose the chart that shows it most directly. Put the message
in the chart title: *"Applications have doubled since 2021"* rather than *"Applications, 2019–2024"*.

| If you want to show… | Use |
|---|---|
| Change over time | Line chart |
| Comparison between categories | Bar chart (horizontal if labels are long) |
| Parts of a whole (few parts) | Stacked bar, or a simple table |
| Distribution | Histogram or box plot |
| Relationship between two measures | Scatter plot |
| Exact values people will look up | Table |

Pie charts are hard to read with more than two or three slices; a bar chart is almost always clearer.

## Honest charts

- Start bar chart axes at **zero**; truncated axes exaggerate differences.
- Use the **same scale** when charts sit side by side.
- Avoid 3D effects, shadows and decoration that distort sizes.
- Label axes and units; give the **source** and date under the chart.
- Show uncertainty (error bars or a shaded band) when it matters to the message.

## Accessible charts

- Don't rely on colour alone — label lines directly rather than using a legend.
- Use enough contrast, and patterns or markers as well as colour.
- Give a text summary or alt text with the key message, and the data in a table nearby.
""",
                ),
                LessonSpec(
                    "Writing about numbers",
                    6,
                    """\
## Numbers in words that people remember

Senior readers and the public often remember one number from a briefing. Make it the right one and make it
easy to grasp.

## Practical rules

- **Round sensibly**: *"about 4,800"* not *"4,817"*, unless precision matters.
- **Use natural frequencies**: *"1 in 5 people"* is easier than *"20%"* for many readers.
- **Give context**: compared with what? last year, the national average, the target.
- **Say what the number counts**: people, households, claims, or cases.
- **Avoid false precision**: *"a 3.27% increase"* from a survey suggests certainty that isn't there.
- **Keep units consistent** within a paragraph and a table.

## Structure of a good data briefing

1. **The headline**: one sentence with the key finding.
2. **Why it matters** for the policy question.
3. **The evidence**: the two or three figures that support it, with sources.
4. **Caveats**: uncertainty, gaps and anything that could change the conclusion.
5. **What next**: a decision, further analysis or monitoring.

## Checklist before you send

| Check | Question |
|---|---|
| Source | Is every figure sourced and dated? |
| Accuracy | Has an analyst checked the figures and wording? |
| Fairness | Would someone who disagrees with the conclusion accept the figures as fair? |
| Clarity | Could a non-specialist explain the headline back to you? |
| Disclosure | Could any small numbers identify individuals? |
""",
                ),
            ),
        ),
    ),
)
