//! Simulated students and the runs that measure the policies with them (`ladder simulate`).

pub mod answers;
pub mod informed;
pub mod model_student;
pub mod oracle;
pub mod run;
pub mod students;
