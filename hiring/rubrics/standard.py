"""The standard service-orientation rubric that ships with Centric (published as version 1)."""

from __future__ import annotations

from decimal import Decimal

NAME = "Service orientation"
DESCRIPTION = (
    "How a candidate serves customers: understanding them, owning their problem, staying calm and explaining clearly."
)

COMPETENCIES: list[dict] = [
    {
        "key": "empathy",
        "name": "Empathy",
        "description": "Understands and acknowledges how the customer feels and what matters to them.",
        "weight": Decimal("1.5"),
        "anchor_1": "Dismisses or ignores the customer's feelings; talks only about process.",
        "anchor_2": "Acknowledges feelings when prompted, in generic phrases.",
        "anchor_3": "Recognises the customer's feelings and adjusts tone; some examples.",
        "anchor_4": "Names the customer's concern precisely and acts on it; several concrete examples.",
        "anchor_5": "Anticipates unspoken needs; customers felt understood, with evidence of the outcome.",
        "questions": "Tell me about a customer who was upset. What did they need from you?\n"
        "Describe a time you changed your approach because of how a customer felt.",
    },
    {
        "key": "active_listening",
        "name": "Active listening",
        "description": "Lets the customer finish, asks clarifying questions and confirms understanding.",
        "weight": Decimal("1.0"),
        "anchor_1": "Interrupts, jumps to conclusions, answers a different question.",
        "anchor_2": "Listens but rarely checks understanding.",
        "anchor_3": "Asks clarifying questions and summarises in most cases.",
        "anchor_4": "Consistently summarises and confirms before acting; catches the real issue.",
        "anchor_5": "Uncovers the root issue the customer did not state; others learn from their approach.",
        "questions": "Tell me about a time you found out the customer's real problem was not what they first said.\n"
        "How do you make sure you understood a customer correctly?",
    },
    {
        "key": "ownership",
        "name": "Ownership",
        "description": "Takes responsibility for the customer's outcome until it is resolved.",
        "weight": Decimal("1.5"),
        "anchor_1": "Passes problems on; 'not my job'.",
        "anchor_2": "Follows up only when chased.",
        "anchor_3": "Follows through on own tasks and keeps the customer informed.",
        "anchor_4": "Owns the outcome across teams; closes the loop without being asked.",
        "anchor_5": "Fixes the cause so it does not recur for other customers.",
        "questions": "Describe a customer problem that needed other teams. What did you do to get it solved?\n"
        "Tell me about a promise to a customer you could not keep. What happened next?",
    },
    {
        "key": "resilience",
        "name": "Resilience",
        "description": "Stays calm and constructive under pressure, hostility or setbacks.",
        "weight": Decimal("1.0"),
        "anchor_1": "Becomes defensive or disengaged under pressure.",
        "anchor_2": "Copes, but the pressure shows in their service.",
        "anchor_3": "Stays professional under pressure; recovers after setbacks.",
        "anchor_4": "Stays calm and constructive with hostile customers; has strategies that work.",
        "anchor_5": "Steadies others in crises; learns and improves from setbacks.",
        "questions": "Tell me about your hardest day with customers. How did you handle it?\n"
        "Describe a time a customer was rude to you.",
    },
    {
        "key": "communication",
        "name": "Communication",
        "description": "Explains clearly, in the customer's words, in writing and speech.",
        "weight": Decimal("1.0"),
        "anchor_1": "Unclear, jargon-heavy or inaccurate.",
        "anchor_2": "Understandable but long-winded or generic.",
        "anchor_3": "Clear and accurate; adapts somewhat to the listener.",
        "anchor_4": "Concise, plain language, checks the message landed.",
        "anchor_5": "Makes complex matters simple; writes messages others reuse.",
        "questions": "Explain something technical from your last job as you would to a customer.\n"
        "How would you tell a customer their request cannot be met?",
    },
    {
        "key": "problem_solving",
        "name": "Problem solving",
        "description": "Finds a workable solution within the rules, or a sensible alternative.",
        "weight": Decimal("1.0"),
        "anchor_1": "Stops at the first obstacle.",
        "anchor_2": "Solves routine problems with help.",
        "anchor_3": "Solves most problems independently; follows a method.",
        "anchor_4": "Finds creative options within policy; weighs customer and company interests.",
        "anchor_5": "Improves processes so the problem disappears.",
        "questions": "Tell me about a customer request no rule covered. What did you do?\n"
        "Describe a problem you solved that others had given up on.",
    },
]
