//! The oracle: a diagnostic "policy" that reads the simulated student's hidden state.
//!
//! It is not a teaching policy and no front end can choose it: a real tutor never sees what a
//! learner truly knows. It exists to give each family a near-best figure for items to mastery,
//! so that a goal such as "15% fewer items than BKT mastery learning" can be judged against what
//! is reachable at all.
//!
//! **The rule**, every step: the target skills are those the student has not truly mastered
//! whose prerequisites are all truly mastered. Of the items that practise a target skill, the
//! one with the highest [`Student::practice_value`] is shown: the expected share of the way to
//! mastery that one practice covers, summed over the item's skills not yet mastered (for a
//! BKT-like student, the expected number of skills it teaches; skills whose prerequisites are
//! missing count at the family's slower rate). Ties go to the item shown least often, then to
//! pack order. Once every skill is mastered it shows the item the student is least likely to
//! answer right (extra practice until the post-test).
//!
//! The rule is greedy, one step ahead, so it is a near-best figure rather than a proven bound:
//! on the `bkt` family, where practice teaches an unknown skill with a fixed chance and nothing
//! is forgotten, it wastes no item on a known skill and none on a skill whose prerequisites are
//! unknown; on `logistic` and `model` it ignores forgetting and the order of later skills.

use super::students::Student;
use crate::course::{Course, ItemIx, SkillIx};

/// The oracle's choice and its reason (recorded with the item like a policy's reason).
pub fn choose(course: &Course, student: &dyn Student, shown: &[u32], now: i64) -> (ItemIx, String) {
    let n = course.skills.len();
    let mastered: Vec<bool> = (0..n).map(|s| student.mastered(course, s, now)).collect();
    let target: Vec<bool> = (0..n)
        .map(|s| !mastered[s] && course.skills[s].prerequisites.iter().all(|&p| mastered[p]))
        .collect();
    let count = |i: ItemIx| shown.get(i).copied().unwrap_or(0);
    let cands =
        (0..course.items.len()).filter(|&i| course.items[i].skills.iter().any(|&s| target[s]));
    let mut best: Option<(f32, ItemIx)> = None;
    for i in cands {
        let v = student.practice_value(course, i, now);
        let better = match best {
            None => true,
            Some((bv, bi)) => v > bv || (v == bv && count(i) < count(bi)),
        };
        if better {
            best = Some((v, i));
        }
    }
    if let Some((v, i)) = best {
        let skill: SkillIx =
            course.items[i].skills.iter().copied().find(|&s| target[s]).unwrap_or_default();
        return (
            i,
            format!(
                "Oracle (simulator diagnostic, reads the hidden state): {} is not mastered and its \
                 prerequisites are; expected progress {v:.2}.",
                course.skills[skill].name
            ),
        );
    }
    // Everything mastered: the item the student is least likely to answer right.
    let i = (0..course.items.len())
        .min_by(|&a, &b| {
            student.p_correct(course, a, now).total_cmp(&student.p_correct(course, b, now))
        })
        .unwrap_or(0);
    (i, "Oracle (simulator diagnostic): every skill mastered; extra practice.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::tests::diamond;
    use crate::sim::students::{student_rng, BktStudent, LogisticStudent};
    use rand::Rng;

    /// Every choice practises a skill that is truly unmastered and whose prerequisites are
    /// truly mastered, as long as any skill is unmastered; a BKT-like student never gets an item
    /// whose skills are all known.
    #[test]
    fn the_oracle_only_practises_unmastered_skills_whose_prerequisites_are_mastered() {
        let c = diamond(5);
        for k in 0..20 {
            let mut rng = student_rng(17, k);
            let mut bkt = BktStudent::sample(&c, &mut rng);
            let mut logistic = LogisticStudent::sample(&c, &mut rng);
            let students: [&mut dyn Student; 2] = [&mut bkt, &mut logistic];
            for st in students {
                let mut shown = vec![0u32; c.items.len()];
                for step in 0..150i64 {
                    let now = 30 * step;
                    if (0..c.skills.len()).all(|s| st.mastered(&c, s, now)) {
                        break;
                    }
                    let (item, reason) = choose(&c, &*st, &shown, now);
                    assert!(reason.starts_with("Oracle"), "{reason}");
                    let ok = c.items[item].skills.iter().any(|&s| {
                        !st.mastered(&c, s, now)
                            && c.skills[s].prerequisites.iter().all(|&p| st.mastered(&c, p, now))
                    });
                    assert!(ok, "student {k}, step {step}: item {item} practises no open skill");
                    shown[item] += 1;
                    let correct = rng.random::<f32>() < st.p_correct(&c, item, now);
                    st.practise(&c, item, correct, now, &mut rng);
                }
            }
        }
    }

    #[test]
    fn the_bkt_value_is_the_chance_of_learning_slower_while_a_prerequisite_is_unknown() {
        let c = diamond(5);
        let mut st = BktStudent::sample(&c, &mut student_rng(3, 0));
        st.known = vec![false; c.skills.len()];
        st.learn = vec![0.2; c.skills.len()];
        // Item 5 is skill b's first (a comes first in the diamond, five items each).
        assert_eq!(c.items[5].skills, vec![1]);
        let blocked = st.practice_value(&c, 5, 0);
        st.known[0] = true;
        let ready = st.practice_value(&c, 5, 0);
        assert!((ready - 0.2).abs() < 1e-6 && (blocked - 0.06).abs() < 1e-6, "{ready} {blocked}");
        st.known[1] = true;
        assert_eq!(st.practice_value(&c, 5, 0), 0.0);
    }
}
