
import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('emes', '0003_calendar_notifications'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_type', models.CharField(choices=[('role_granted', 'Role granted'), ('role_removed', 'Role removed'), ('role_changed', 'Role changed'), ('account_created', 'Account created'), ('password_reset', 'Password reset by staff'), ('office_created', 'Office created'), ('office_changed', 'Office settings changed')], max_length=20, verbose_name='event')),
                ('target_id', models.CharField(blank=True, max_length=64, verbose_name='target id')),
                ('target_repr', models.CharField(blank=True, max_length=300, verbose_name='whom')),
                ('before', models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True, verbose_name='before')),
                ('after', models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True, verbose_name='after')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='at')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='by')),
                ('office', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_events', to='emes.office', verbose_name='office')),
                ('target_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype', verbose_name='target type')),
            ],
            options={
                'verbose_name': 'audit event',
                'verbose_name_plural': 'audit events',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['office', '-at'], name='audit_event_office_at'), models.Index(fields=['target_type', 'target_id'], name='audit_event_target')],
            },
        ),
    ]
