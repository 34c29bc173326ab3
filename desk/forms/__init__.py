"""What the chat forms (joining, aid, the lawyer intake) share: the form specification (fields,
checks, answers given ahead, corrections, the summary), the give-up rule after repeated bad
answers, and the answer checks every form uses (yes/no, name, ID number, phone)."""
