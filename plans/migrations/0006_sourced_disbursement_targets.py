"""The sourced annual (end of Q4, cumulative) overall disbursement targets of FY 2568 and 2569.

Sources (data/04_inspection_budget/budget_disbursement_targets.csv of the shared data):
FY 2568 overall ≥ 94 % (กรมบัญชีกลาง, tna.mcot.net/business-1443020, 2024-11-05);
FY 2569 overall ≥ 93 % (Cabinet measures, nationthailand.com/business/economy/40057016, 2025-10).
Quarterly points before Q4 are not sourced for these years; offices enter them in the admin.
"""
from decimal import Decimal

from django.db import migrations

TARGETS = [
    (2568, 4, Decimal("94"), "กรมบัญชีกลาง: ภาพรวม ≥ 94% (tna.mcot.net/business-1443020, 5 พ.ย. 2567)"),
    (2569, 4, Decimal("93"), "มติ ครม. มาตรการเร่งรัดการเบิกจ่าย: ภาพรวม ≥ 93% (nationthailand.com/business/economy/40057016, ต.ค. 2568)"),
]


def add(apps, schema_editor):
    Target = apps.get_model("plans", "DisbursementTarget")
    for year, quarter, pct, source in TARGETS:
        Target.objects.get_or_create(fiscal_year=year, quarter=quarter, defaults={"target_pct": pct, "source": source})


def remove(apps, schema_editor):
    Target = apps.get_model("plans", "DisbursementTarget")
    for year, quarter, _pct, _source in TARGETS:
        Target.objects.filter(fiscal_year=year, quarter=quarter).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_quarterly_monitoring")]
    operations = [migrations.RunPython(add, remove)]
