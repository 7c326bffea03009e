//! The engine's indexed view of a course: skills, lessons and items by position, with the
//! prerequisite graph resolved. Policies and predictors work on positions (`usize`), which keeps
//! the answer path free of string lookups; ids appear only at the edges.
//!
//! A `Course` is built from a loaded pack (see `engine`), or with [`CourseBuilder`] in tests, the
//! simulator and the benchmark.

use std::collections::HashMap;

use ladder_core::ids::{ItemId, LessonId, PackId, SkillId};

use crate::error::{Error, Result};

/// Position of a skill in [`Course::skills`].
pub type SkillIx = usize;
/// Position of a lesson in [`Course::lessons`].
pub type LessonIx = usize;
/// Position of an item in [`Course::items`].
pub type ItemIx = usize;

#[derive(Debug, Clone)]
pub struct CourseSkill {
    pub id: SkillId,
    pub name: String,
    /// Skills that must be mastered first.
    pub prerequisites: Vec<SkillIx>,
}

#[derive(Debug, Clone)]
pub struct CourseLesson {
    pub id: LessonId,
    pub title: String,
    pub skills: Vec<SkillIx>,
    /// The teacher pinned the order: items come in file order.
    pub fixed_order: bool,
    /// Items in file order.
    pub items: Vec<ItemIx>,
}

#[derive(Debug, Clone)]
pub struct CourseItem {
    pub id: ItemId,
    pub lesson: LessonIx,
    pub skills: Vec<SkillIx>,
    /// Prior difficulty on the logit scale (0 when the pack gives none).
    pub difficulty: f32,
    /// Rungs of the hint ladder: the hints, then the worked solution if there is one.
    pub hint_levels: u8,
    /// Whether the last rung is a worked solution.
    pub has_solution: bool,
}

/// A course as the engine sees it.
#[derive(Debug, Clone)]
pub struct Course {
    pub pack: PackId,
    pub version: String,
    pub title: String,
    pub skills: Vec<CourseSkill>,
    pub lessons: Vec<CourseLesson>,
    pub items: Vec<CourseItem>,
    /// Items that practise each skill, in course order.
    pub skill_items: Vec<Vec<ItemIx>>,
    /// Mean prior difficulty of each skill's items: what "a typical item" of the skill means.
    pub skill_difficulty: Vec<f32>,
    /// Skills in an order that respects prerequisites (first taught first).
    pub skill_order: Vec<SkillIx>,
    skill_ix: HashMap<SkillId, SkillIx>,
    item_ix: HashMap<ItemId, ItemIx>,
    lesson_ix: HashMap<LessonId, LessonIx>,
}

impl Course {
    pub fn skill_ix(&self, id: &SkillId) -> Option<SkillIx> {
        self.skill_ix.get(id).copied()
    }
    pub fn item_ix(&self, id: &ItemId) -> Option<ItemIx> {
        self.item_ix.get(id).copied()
    }
    pub fn lesson_ix(&self, id: &LessonId) -> Option<LessonIx> {
        self.lesson_ix.get(id).copied()
    }
    /// The skill that an item is mainly about (its first skill).
    pub fn main_skill(&self, item: ItemIx) -> SkillIx {
        self.items[item].skills.first().copied().unwrap_or(0)
    }
}

/// Builds a [`Course`] from ids, checking references and the prerequisite graph.
#[derive(Debug, Default)]
pub struct CourseBuilder {
    pack: String,
    version: String,
    title: String,
    skills: Vec<(String, String, Vec<String>)>,
    lessons: Vec<(String, String, Vec<String>, bool)>,
    items: Vec<(String, String, Vec<String>, f32, u8, bool)>,
}

impl CourseBuilder {
    pub fn new(pack: &str, version: &str, title: &str) -> Self {
        Self { pack: pack.into(), version: version.into(), title: title.into(), ..Self::default() }
    }

    pub fn skill(mut self, id: &str, name: &str, prerequisites: &[&str]) -> Self {
        self.add_skill(id, name, prerequisites.iter().map(|s| s.to_string()).collect());
        self
    }

    pub fn add_skill(&mut self, id: &str, name: &str, prerequisites: Vec<String>) {
        self.skills.push((id.into(), name.into(), prerequisites));
    }

    pub fn lesson(mut self, id: &str, title: &str, skills: &[&str], fixed_order: bool) -> Self {
        self.add_lesson(id, title, skills.iter().map(|s| s.to_string()).collect(), fixed_order);
        self
    }

    pub fn add_lesson(&mut self, id: &str, title: &str, skills: Vec<String>, fixed_order: bool) {
        self.lessons.push((id.into(), title.into(), skills, fixed_order));
    }

    /// Adds an item to the lesson `lesson` (which must already have been added).
    pub fn item(mut self, lesson: &str, id: &str, skills: &[&str], difficulty: f32) -> Self {
        let skills = skills.iter().map(|s| s.to_string()).collect();
        self.add_item(lesson, id, skills, difficulty, 2, true);
        self
    }

    pub fn add_item(
        &mut self,
        lesson: &str,
        id: &str,
        skills: Vec<String>,
        difficulty: f32,
        hints: u8,
        has_solution: bool,
    ) {
        self.items.push((lesson.into(), id.into(), skills, difficulty, hints, has_solution));
    }

    pub fn build(self) -> Result<Course> {
        let mut skill_ix = HashMap::new();
        for (i, (id, _, _)) in self.skills.iter().enumerate() {
            if skill_ix.insert(SkillId::new(id.clone()), i).is_some() {
                return Err(Error::pack(format!("duplicate skill id {id}")));
            }
        }
        let resolve = |id: &String| {
            skill_ix
                .get(&SkillId::new(id.clone()))
                .copied()
                .ok_or_else(|| Error::pack(format!("unknown skill {id}")))
        };
        let mut skills = Vec::with_capacity(self.skills.len());
        for (id, name, pre) in &self.skills {
            let prerequisites = pre.iter().map(resolve).collect::<Result<Vec<_>>>()?;
            skills.push(CourseSkill {
                id: SkillId::new(id.clone()),
                name: name.clone(),
                prerequisites,
            });
        }
        let mut lessons = Vec::with_capacity(self.lessons.len());
        let mut lesson_ix = HashMap::new();
        for (i, (id, title, sk, fixed)) in self.lessons.iter().enumerate() {
            if lesson_ix.insert(LessonId::new(id.clone()), i).is_some() {
                return Err(Error::pack(format!("duplicate lesson id {id}")));
            }
            lessons.push(CourseLesson {
                id: LessonId::new(id.clone()),
                title: title.clone(),
                skills: sk.iter().map(resolve).collect::<Result<Vec<_>>>()?,
                fixed_order: *fixed,
                items: Vec::new(),
            });
        }
        let mut items = Vec::with_capacity(self.items.len());
        let mut item_ix = HashMap::new();
        for (lesson, id, sk, difficulty, hints, has_solution) in &self.items {
            let l = lesson_ix
                .get(&LessonId::new(lesson.clone()))
                .copied()
                .ok_or_else(|| Error::pack(format!("item {id}: unknown lesson {lesson}")))?;
            let ix = items.len();
            if item_ix.insert(ItemId::new(id.clone()), ix).is_some() {
                return Err(Error::pack(format!("duplicate item id {id}")));
            }
            let item_skills = sk.iter().map(resolve).collect::<Result<Vec<_>>>()?;
            if item_skills.is_empty() {
                return Err(Error::pack(format!("item {id} has no skill")));
            }
            lessons[l].items.push(ix);
            items.push(CourseItem {
                id: ItemId::new(id.clone()),
                lesson: l,
                skills: item_skills,
                difficulty: *difficulty,
                hint_levels: hints.saturating_add(u8::from(*has_solution)),
                has_solution: *has_solution,
            });
        }
        // Items of each skill, in lesson (file) order.
        let mut skill_items = vec![Vec::new(); skills.len()];
        for lesson in &lessons {
            for &i in &lesson.items {
                for &s in &items[i].skills {
                    skill_items[s].push(i);
                }
            }
        }
        let skill_difficulty = skill_items
            .iter()
            .map(|its| {
                if its.is_empty() {
                    0.0
                } else {
                    its.iter().map(|&i| items[i].difficulty).sum::<f32>() / its.len() as f32
                }
            })
            .collect();
        let skill_order = topological_order(&skills, &lessons)?;
        Ok(Course {
            pack: PackId::new(self.pack),
            version: self.version,
            title: self.title,
            skills,
            lessons,
            items,
            skill_items,
            skill_difficulty,
            skill_order,
            skill_ix,
            item_ix,
            lesson_ix,
        })
    }
}

/// Skills ordered so that every prerequisite comes before the skills that need it; among skills
/// that are free at the same time, the one whose first lesson comes first.
fn topological_order(skills: &[CourseSkill], lessons: &[CourseLesson]) -> Result<Vec<SkillIx>> {
    let n = skills.len();
    let mut first_lesson = vec![usize::MAX; n];
    for (l, lesson) in lessons.iter().enumerate() {
        for &s in &lesson.skills {
            first_lesson[s] = first_lesson[s].min(l);
        }
    }
    let mut done = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = (0..n)
            .filter(|&s| !done[s] && skills[s].prerequisites.iter().all(|&p| done[p]))
            .min_by_key(|&s| (first_lesson[s], s));
        match next {
            Some(s) => {
                done[s] = true;
                order.push(s);
            }
            None => return Err(Error::pack("the prerequisites of the skills form a cycle")),
        }
    }
    Ok(order)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small course: a -> b, a -> c, (b, c) -> d; one lesson per skill, `n` items each with
    /// difficulties spread from -1.5 to 1.5.
    pub fn diamond(n: usize) -> Course {
        let mut b = CourseBuilder::new("demo", "1.0.0", "Demo")
            .skill("a", "Skill A", &[])
            .skill("b", "Skill B", &["a"])
            .skill("c", "Skill C", &["a"])
            .skill("d", "Skill D", &["b", "c"]);
        for s in ["a", "b", "c", "d"] {
            b = b.lesson(&format!("l-{s}"), &format!("Lesson {s}"), &[s], false);
            for k in 0..n {
                let d = if n > 1 { -1.5 + 3.0 * k as f32 / (n - 1) as f32 } else { 0.0 };
                b = b.item(&format!("l-{s}"), &format!("{s}-{k}"), &[s], d);
            }
        }
        b.build().unwrap()
    }

    #[test]
    fn builder_resolves_ids_and_orders_skills() {
        let c = diamond(3);
        assert_eq!(c.items.len(), 12);
        assert_eq!(c.skill_items[1].len(), 3);
        assert_eq!(c.skill_order, vec![0, 1, 2, 3]);
        assert_eq!(c.item_ix(&ItemId::from("b-2")), Some(5));
        assert_eq!(c.items[5].hint_levels, 3);
        assert!(c.skill_difficulty[0].abs() < 1e-6);
    }

    #[test]
    fn cycles_and_unknown_skills_are_refused() {
        let cyc = CourseBuilder::new("p", "1", "P").skill("a", "A", &["b"]).skill("b", "B", &["a"]);
        assert!(cyc.build().is_err());
        let unknown = CourseBuilder::new("p", "1", "P").skill("a", "A", &["zzz"]);
        assert!(unknown.build().is_err());
    }
}
