"""Aid programmes (帮扶/救助): policies are data in knowledge/policies/*.yml, judged by one engine.

policies: the model and the loader; answers: what a worker's reply to one question is worth;
engine: the verdict with a reason per condition; limits: one application per person or household.
"""
