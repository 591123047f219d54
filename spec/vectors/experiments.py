"""Experiments that several groups of cases share; each group that changes one copies it first
({**AB, ...}), so these stay as written here."""

AB = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': 10}
AB_HALF = {'key': 'skill_tree_layout', 'variants': ['tree', 'list'], 'rollout': 50}
ABC = {'key': 'checkout_flow', 'variants': ['control', 'one_page', 'express'], 'weights': [2, 1, 1]}
ABCD = {'key': 'hero_copy', 'variants': ['a', 'b', 'c', 'd']}
