"""Import a library from elsewhere into a clinic library file: free-exercise-db's JSON and its
photos (free_exercise_db.py), or a clinic's own spreadsheet (csv_import.py). Both write a folder
with `exercises.yaml`, `photos/` and `import-report.txt` (writer.py), only through deliver.py.
"""
