#!/usr/bin/env python3
"""Writes a synthetic interaction data set (interactions.csv + folds.csv in the form `ladder eval`
reads) for checking a GPU build end to end on a machine that has no copy of real data.

Learners have an ability, items a difficulty and one or two skills; each answer's chance of being
right is logistic in ability - difficulty + a learning term that grows with practice on the
item's skills. Seeded, so the same files come out every time.

    scripts/gpu/make-synth-csv.py OUT_DIR [LEARNERS]
"""
import math
import os
import random
import sys


def main() -> None:
    out = sys.argv[1]
    learners = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(7)
    n_items, n_skills = 400, 25
    diff = [rng.gauss(0.0, 1.0) for _ in range(n_items)]
    skills = [sorted(rng.sample(range(n_skills), rng.choice([1, 1, 2]))) for _ in range(n_items)]
    rate = [abs(rng.gauss(0.15, 0.05)) for _ in range(n_skills)]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "interactions.csv"), "w") as f, open(
        os.path.join(out, "folds.csv"), "w"
    ) as g:
        f.write("student_id,t,item_id,skill_ids,correct\n")
        g.write("student_id,fold\n")
        for s in range(learners):
            ability = rng.gauss(0.0, 1.0)
            practice = [0] * n_skills
            g.write(f"s{s},{1 + s % 5}\n")
            focus = rng.sample(range(n_skills), 4)
            for t in range(rng.randint(30, 150)):
                cands = [i for i in range(n_items) if skills[i][0] in focus] or list(range(n_items))
                i = rng.choice(cands)
                learn = sum(rate[k] * math.log1p(practice[k]) for k in skills[i])
                p = 1.0 / (1.0 + math.exp(-(ability - diff[i] + learn)))
                correct = 1 if rng.random() < p else 0
                for k in skills[i]:
                    practice[k] += 1
                f.write(f"s{s},{t},i{i},{';'.join(f'k{k}' for k in skills[i])},{correct}\n")


if __name__ == "__main__":
    main()
