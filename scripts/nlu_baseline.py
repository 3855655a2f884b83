"""Baseline for the NLU figures: TF-IDF word + char n-grams with logistic regression.

Same data as the pipeline (data/nlu, tests/nlu), 5 stratified folds. Usage: .venv/bin/python scripts/nlu_baseline.py
"""
import glob, re, yaml, numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline, make_union
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.metrics import f1_score
def load(paths):
    X,y=[],[]
    for p in paths:
        d=yaml.safe_load(open(p))
        for item in d.get('nlu',[]):
            if 'intent' in item:
                for line in item['examples'].splitlines():
                    line=line.strip()
                    if line.startswith('- '):
                        t=re.sub(r'\[([^\]]+)\]\([^)]+\)',r'\1',line[2:]); X.append(t); y.append(item['intent'])
    return X,y
X,y=load(glob.glob('data/nlu/*.yml'))
Xh,yh=load(glob.glob('tests/nlu/*.yml'))
pipe=make_pipeline(make_union(TfidfVectorizer(analyzer='word',ngram_range=(1,2),sublinear_tf=True),TfidfVectorizer(analyzer='char_wb',ngram_range=(2,5),sublinear_tf=True)),LogisticRegression(C=10,max_iter=2000))
pred=cross_val_predict(pipe,X,y,cv=StratifiedKFold(5,shuffle=True,random_state=0))
print(len(X), 'intents', len(set(y)), 'CV macro-F1', round(f1_score(y,pred,average='macro'),3))
pipe.fit(X,y); ph=pipe.predict(Xh); print('holdout macro-F1', round(f1_score(yh,ph,average='macro'),3), len(Xh))
