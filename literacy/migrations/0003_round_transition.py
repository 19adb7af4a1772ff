"""Literacy rounds get transition rows (``LiteracyRoundTransition``); their history so far, kept in the admin's
``LogEntry`` by ``literacy.services``, is copied into them (the log entries themselves stay).

Replayed per round, oldest first: an addition is the creation ("" → draft); a change written as
"old → new" is that move; a change of fields (window, grades, threshold) is a row from = to = the status
at that moment, its comment naming the fields.
"""

import django.db.models.deletion
from django.conf import settings
import json
import re

from django.db import migrations, models

_MOVE = re.compile(r"^(draft|open|closed) → (draft|open|closed)$")
_ADDITION, _CHANGE = 1, 2


def copy_log_entries(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    Transition = apps.get_model("literacy", "LiteracyRoundTransition")
    content_type = ContentType.objects.filter(app_label="literacy", model="literacyround").first()
    if content_type is None:
        return  # a fresh database: no history to copy
    round_ids = set(apps.get_model("literacy", "LiteracyRound").objects.values_list("pk", flat=True))
    status: dict[int, str] = {}
    for entry in LogEntry.objects.filter(content_type=content_type).order_by("action_time", "id"):
        try:
            round_id = int(entry.object_id)
        except (TypeError, ValueError):
            continue
        if round_id not in round_ids:
            continue  # the round was deleted since
        message = (entry.change_message or "").strip()
        move = _MOVE.match(message)
        if entry.action_flag == _ADDITION:
            old, new, comment = "", "draft", ""
        elif entry.action_flag == _CHANGE and move:
            old, new, comment = move.group(1), move.group(2), ""
        elif entry.action_flag == _CHANGE:
            try:
                fields = [f for item in json.loads(message) for f in item.get("changed", {}).get("fields", [])]
            except (ValueError, AttributeError, TypeError):
                fields = []
            old = new = status.get(round_id, "draft")
            comment = "Changed: " + ", ".join(fields) if fields else message
        else:
            continue
        status[round_id] = new
        row = Transition.objects.create(round_id=round_id, by_id=entry.user_id, from_status=old, to_status=new, comment=comment)
        Transition.objects.filter(pk=row.pk).update(at=entry.action_time)  # auto_now_add set "now" on create


class Migration(migrations.Migration):

    dependencies = [
        ('admin', '0003_logentry_add_action_flag_choices'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('literacy', '0002_round_status_labels'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LiteracyRoundTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='at')),
                ('comment', models.TextField(blank=True, verbose_name='comment')),
                ('from_status', models.CharField(blank=True, choices=[('draft', 'Not opened yet'), ('open', 'Window open'), ('closed', 'Window closed')], max_length=8, verbose_name='from')),
                ('to_status', models.CharField(choices=[('draft', 'Not opened yet'), ('open', 'Window open'), ('closed', 'Window closed')], max_length=8, verbose_name='to')),
                ('by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='transitions', to='literacy.literacyround', verbose_name='round')),
            ],
            options={
                'verbose_name': 'literacy round transition',
                'verbose_name_plural': 'literacy round transitions',
                'ordering': ['round', 'at', 'id'],
                'abstract': False,
            },
        ),
        migrations.RunPython(copy_log_entries, migrations.RunPython.noop),
    ]
