"""The action plan as an Excel workbook: template, import (preview, apply), export."""
